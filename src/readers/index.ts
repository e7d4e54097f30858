import type { IntermediateDocument, SourceFormat } from '../model/document.js';
import { sniffFormat } from './sniff.js';
import { readDocx } from './docx.js';
import { readHtml } from './html.js';
import { readPdf } from './pdf.js';
import { readText } from './txt.js';

export interface ReadOptions {
  /** Overrides sniffing (--from). */
  from?: SourceFormat;
}

/** Bytes → intermediate document, choosing the reader from the bytes (or --from). */
export async function readDocument(bytes: Uint8Array, opts: ReadOptions = {}): Promise<IntermediateDocument> {
  const format = opts.from ?? sniffFormat(bytes);
  switch (format) {
    case 'docx':
      return readDocx(bytes);
    case 'pdf':
      return readPdf(bytes);
    case 'html':
      return readHtml(bytes);
    case 'txt':
      return readText(bytes);
  }
}

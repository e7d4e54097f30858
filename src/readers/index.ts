import type { IntermediateDocument, SourceFormat } from '../model/document.js';
import { sniffFormat } from './sniff.js';

export interface ReadOptions {
  /** Overrides sniffing (--from). */
  from?: SourceFormat;
}

/**
 * Bytes → intermediate document, choosing the reader from the bytes (or
 * --from). Readers load on first use: a worker converting text never pays
 * for pdf.js or cheerio start-up.
 */
export async function readDocument(bytes: Uint8Array, opts: ReadOptions = {}): Promise<IntermediateDocument> {
  const format = opts.from ?? sniffFormat(bytes);
  switch (format) {
    case 'docx':
      return (await import('./docx.js')).readDocx(bytes);
    case 'pdf':
      return (await import('./pdf.js')).readPdf(bytes);
    case 'html':
      return (await import('./html.js')).readHtml(bytes);
    case 'txt':
      return (await import('./txt.js')).readText(bytes);
  }
}

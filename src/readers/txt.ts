import type { Block, IntermediateDocument } from '../model/document.js';
import { decodeText } from './encoding.js';
import { cleanLines, type Line } from './txt-clean.js';
import { findFlattenedTables, type TableSpan } from './txt-tables.js';

/**
 * Plain text as copy-paste and converters leave it: decode, drop markup and
 * web-page chrome, recover the flattened task table, keep the rest as
 * paragraphs and headings.
 */
export async function readText(bytes: Uint8Array): Promise<IntermediateDocument> {
  const { text, encoding } = decodeText(bytes);
  return textToDocument(text, encoding);
}

export function textToDocument(text: string, encoding: string | null): IntermediateDocument {
  const lines = cleanLines(text);
  const tables = findFlattenedTables(lines);
  const blocks: Block[] = [];
  let t = 0;
  for (let i = 0; i < lines.length; ) {
    const span: TableSpan | undefined = tables[t];
    if (span && i === span.start) {
      blocks.push(span.table);
      i = span.end;
      t++;
      continue;
    }
    const line: Line = lines[i++];
    if (!line.text.trim()) continue;
    if (line.heading) blocks.push({ kind: 'heading', level: line.heading, text: line.text.trim() });
    else blocks.push({ kind: 'paragraph', text: line.text.replace(/\t+/g, ' ').trim() });
  }
  return { format: 'txt', blocks, pages: null, encoding, warnings: [] };
}

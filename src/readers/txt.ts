import type { IntermediateDocument } from '../model/document.js';

export async function readText(bytes: Uint8Array): Promise<IntermediateDocument> {
  return { format: 'txt', blocks: [{ kind: 'paragraph', text: Buffer.from(bytes).toString('utf8') }], pages: null, encoding: 'utf-8', warnings: [] };
}

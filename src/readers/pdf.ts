import type { IntermediateDocument } from '../model/document.js';
import { InputError } from '../model/document.js';

export async function readPdf(_bytes: Uint8Array): Promise<IntermediateDocument> {
  throw new InputError('UNSUPPORTED', 'unsupported format: pdf reader not built yet');
}

import type { IntermediateDocument } from '../model/document.js';
import { InputError } from '../model/document.js';

export async function readHtml(_bytes: Uint8Array): Promise<IntermediateDocument> {
  throw new InputError('UNSUPPORTED', 'unsupported format: html reader not built yet');
}

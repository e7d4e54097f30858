import type { IntermediateDocument } from '../model/document.js';
import { InputError } from '../model/document.js';

export async function readDocx(_bytes: Uint8Array): Promise<IntermediateDocument> {
  throw new InputError('UNSUPPORTED', 'unsupported format: docx reader not built yet');
}

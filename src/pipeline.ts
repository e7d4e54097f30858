import { createHash } from 'node:crypto';
import { InputError, type SourceFormat } from './model/document.js';
import { type PlanDocument, SCHEMA_VERSION, parsePlanDocument } from './model/schema.js';
import { readDocument } from './readers/index.js';
import { buildPlan } from './structure/index.js';

export interface ConvertInput {
  bytes: Uint8Array;
  /** Path as the user gave it ("-" for stdin); only reported, never opened here. */
  path: string;
  from?: SourceFormat;
  /** The bytes' sha256 when the caller already has it (a batch worker hashes for --resume). */
  sha256?: string;
}

/**
 * One input file → one validated PlanDocument. Pure apart from the readers'
 * own work; the caller does all file I/O.
 */
export async function convert(input: ConvertInput): Promise<PlanDocument> {
  const doc = await readDocument(input.bytes, { from: input.from });
  const plan = buildPlan(doc);
  if (plan.tasks.length === 0) {
    // Nothing to put in a ledger is a failed input, not an empty success.
    throw new InputError('NO_PLAN', `no work plan found in this ${doc.format} file (no task table and no enumerated task items)`);
  }
  const result: PlanDocument = {
    schemaVersion: SCHEMA_VERSION,
    source: {
      path: input.path,
      format: doc.format,
      sha256: input.sha256 ?? createHash('sha256').update(input.bytes).digest('hex'),
      bytes: input.bytes.length,
      pages: doc.pages,
      encoding: doc.encoding,
    },
    document: plan.document,
    tasks: plan.tasks,
    warnings: plan.warnings,
  };
  // Every output is validated before anyone writes it.
  return parsePlanDocument(result);
}

import type { PlanDocument } from '../model/schema.js';

/** One document as one compact JSON line (JSON Lines), newline-terminated. */
export function formatJsonl(doc: PlanDocument): string {
  return JSON.stringify(doc) + '\n';
}

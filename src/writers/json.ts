import type { PlanDocument } from '../model/schema.js';

/** One document as pretty JSON (2-space indent) with a trailing newline. */
export function formatJson(doc: PlanDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * One element of a pretty JSON array, indented one level, so that
 * `'[\n' + items.join(',\n') + '\n]\n'` equals `JSON.stringify(docs, null, 2) + '\n'`
 * while each document can be written as soon as it is ready.
 */
export function formatJsonArrayItem(doc: PlanDocument): string {
  // Every line break is the printer's own (a string value's is escaped), so indenting = replacing them.
  return '  ' + JSON.stringify(doc, null, 2).replaceAll('\n', '\n  ');
}

/** Several documents as one pretty JSON array with a trailing newline. */
export function formatJsonArray(docs: readonly PlanDocument[]): string {
  if (docs.length === 0) return '[]\n';
  return '[\n' + docs.map(formatJsonArrayItem).join(',\n') + '\n]\n';
}

import { type PlanDocument, type Task, parsePlanDocument } from '../model/schema.js';

/**
 * Unit names compared loosely: NFKC (full-width ↔ half-width brackets and
 * letters), whitespace removed, case folded.
 */
export function normalizeUnitName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** True when the unit name contains the query (after normalising both). */
export function unitMatches(unit: string, query: string): boolean {
  const q = normalizeUnitName(query);
  return q !== '' && normalizeUnitName(unit).includes(q);
}

/** True when any lead / responsible / cooperating unit of the task matches any query. */
export function taskHasUnit(task: Task, queries: readonly string[]): boolean {
  const units = [...task.units.lead, ...task.units.responsible, ...task.units.cooperating];
  return units.some((u) => queries.some((q) => unitMatches(u, q)));
}

/**
 * The document restricted to the tasks of the given unit(s). Tasks keep their
 * ids; warnings about dropped tasks are dropped, document-level warnings stay.
 * The result is validated again, so it is still a PlanDocument.
 */
export function filterByUnit(doc: PlanDocument, queries: readonly string[]): PlanDocument {
  const tasks = doc.tasks.filter((t) => taskHasUnit(t, queries));
  const kept = new Set(tasks.map((t) => t.id));
  const warnings = doc.warnings.filter((w) => w.task === undefined || kept.has(w.task));
  return parsePlanDocument({ ...doc, tasks, warnings });
}

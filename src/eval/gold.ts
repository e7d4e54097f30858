import type { PlanDocument } from '../model/schema.js';

/** A gold file: the expected tasks of one input, hand-checked (fixtures/**\/*.gold.json). */
export interface GoldFile {
  source: string;
  document: Record<string, unknown>;
  tasks: GoldTask[];
}

export interface GoldTask {
  seq: number | null;
  path: string[];
  content: string;
  units: { raw: string | null; lead: string[]; responsible: string[]; cooperating: string[] };
  deadline: string | null;
}

export const FIELDS = ['seq', 'path', 'content', 'units.raw', 'lead', 'responsible', 'cooperating', 'deadline'] as const;
export type FieldName = (typeof FIELDS)[number];

export interface GoldComparison {
  goldTasks: number;
  foundTasks: number;
  /** Fields matching, per field, over the gold tasks matched by position. */
  matches: Record<FieldName, number>;
  metadataDiffs: string[];
  diffs: string[];
  summaryLine: string;
}

function fieldValue(t: GoldTask | PlanDocument['tasks'][number], f: FieldName): unknown {
  switch (f) {
    case 'units.raw':
      return t.units.raw;
    case 'lead':
    case 'responsible':
    case 'cooperating':
      return t.units[f];
    default:
      return t[f];
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 90 ? `${s.slice(0, 87)}…` : s;
};

/** Field-by-field comparison of a parse with its gold file; tasks are matched in order. */
export function compareWithGold(doc: PlanDocument, gold: GoldFile): GoldComparison {
  const matches = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<FieldName, number>;
  const diffs: string[] = [];
  const n = Math.min(doc.tasks.length, gold.tasks.length);
  for (let i = 0; i < n; i++) {
    for (const f of FIELDS) {
      const got = fieldValue(doc.tasks[i], f);
      const want = fieldValue(gold.tasks[i], f);
      if (same(got, want)) matches[f]++;
      else diffs.push(`task ${i + 1} (gold seq ${gold.tasks[i].seq}) ${f}: got ${short(got)} want ${short(want)}`);
    }
  }
  if (doc.tasks.length !== gold.tasks.length) diffs.unshift(`task count: got ${doc.tasks.length} want ${gold.tasks.length}`);
  const metadataDiffs: string[] = [];
  for (const [k, v] of Object.entries(gold.document)) {
    const got = (doc.document as Record<string, unknown>)[k];
    if (!same(got, v)) metadataDiffs.push(`document.${k}: got ${short(got)} want ${short(v)}`);
  }
  diffs.unshift(...metadataDiffs);
  const total = gold.tasks.length || 1;
  const pct = (f: FieldName) => `${f}=${((100 * matches[f]) / total).toFixed(0)}%`;
  const summaryLine = `tasks ${doc.tasks.length}/${gold.tasks.length} ${FIELDS.map(pct).join(' ')} meta ${metadataDiffs.length ? 'DIFF' : 'ok'}`;
  return { goldTasks: gold.tasks.length, foundTasks: doc.tasks.length, matches, metadataDiffs, diffs, summaryLine };
}

export function summarize(results: GoldComparison[]): string {
  const gold = results.reduce((a, r) => a + r.goldTasks, 0) || 1;
  const parts = FIELDS.map((f) => `${f} ${((100 * results.reduce((a, r) => a + r.matches[f], 0)) / gold).toFixed(1)}%`);
  return `ALL ${results.length} files, ${gold} gold tasks: ${parts.join(', ')}`;
}

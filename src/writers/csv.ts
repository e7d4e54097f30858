import { stringify } from 'csv-stringify/sync';
import type { PlanDocument } from '../model/schema.js';

/** Column order of the CSV output, as SPEC §3 fixes it. */
export const CSV_COLUMNS = [
  'file',
  'id',
  'seq',
  'path',
  'content',
  'units',
  'lead',
  'responsible',
  'cooperating',
  'deadline',
  'page',
] as const;

/** Separator for list-valued cells (path, lead, responsible, cooperating). */
export const CSV_LIST_SEPARATOR = '；';

/** UTF-8 byte order mark, so that Excel opens the file as UTF-8. */
export const UTF8_BOM = '\uFEFF';

export interface CsvOptions {
  /** Start with the UTF-8 BOM (default true). */
  bom?: boolean;
  /** Start with the header row (default true). */
  header?: boolean;
}

/** One row per task, in CSV_COLUMNS order, every value a string ('' for null). */
export function csvRows(doc: PlanDocument): string[][] {
  const join = (xs: readonly string[]) => xs.join(CSV_LIST_SEPARATOR);
  return doc.tasks.map((t) => [
    doc.source.path,
    t.id,
    t.seq === null ? '' : String(t.seq),
    join(t.path),
    t.content,
    t.units.raw ?? '',
    join(t.units.lead),
    join(t.units.responsible),
    join(t.units.cooperating),
    t.deadline ?? '',
    t.provenance.page === null ? '' : String(t.provenance.page),
  ]);
}

/**
 * Rows → RFC 4180 CSV text: fields with a comma, quote, CR or LF are quoted,
 * quotes doubled, records end with CRLF.
 */
export function formatCsvRows(rows: readonly (readonly string[])[], opts: CsvOptions = {}): string {
  const all: string[][] = [];
  if (opts.header ?? true) all.push([...CSV_COLUMNS]);
  for (const r of rows) all.push([...r]);
  const body = all.length === 0 ? '' : stringify(all, { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
  return ((opts.bom ?? true) ? UTF8_BOM : '') + body;
}

/** One document as CSV (BOM and header by default). */
export function formatCsv(doc: PlanDocument, opts: CsvOptions = {}): string {
  return formatCsvRows(csvRows(doc), opts);
}

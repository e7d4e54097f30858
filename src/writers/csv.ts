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

/** A field needs quotes when it holds a comma, a quote, CR or LF (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/**
 * Rows → RFC 4180 CSV text: fields with a comma, quote, CR or LF are quoted,
 * quotes doubled, records end with CRLF.
 *
 * Written out rather than calling csv-stringify: in a batch this runs once
 * per input for the combined all.csv, and csv-stringify took 0.37 ms for a
 * 67-row plan (0.6 ms while cold) against 0.04 ms here. csv-stringify stays
 * as the test oracle (tests/writers.test.ts): the output must be identical.
 */
export function formatCsvRows(rows: readonly (readonly string[])[], opts: CsvOptions = {}): string {
  let out = (opts.bom ?? true) ? UTF8_BOM : '';
  if (opts.header ?? true) out += `${CSV_COLUMNS.join(',')}\r\n`;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (i > 0) out += ',';
      out += NEEDS_QUOTES.test(v) ? `"${v.replace(QUOTE, '""')}"` : v;
    }
    out += '\r\n';
  }
  return out;
}

/** One document as CSV (BOM and header by default). */
export function formatCsv(doc: PlanDocument, opts: CsvOptions = {}): string {
  return formatCsvRows(csvRows(doc), opts);
}

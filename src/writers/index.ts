import type { PlanDocument } from '../model/schema.js';
import { csvRows, formatCsv, formatCsvRows } from './csv.js';
import { formatJson, formatJsonArrayItem } from './json.js';
import { formatJsonl } from './jsonl.js';
import { formatYaml, formatYamlStreamItem } from './yaml.js';

export { CSV_COLUMNS, CSV_LIST_SEPARATOR, UTF8_BOM, csvRows, formatCsv, formatCsvRows } from './csv.js';
export type { CsvOptions } from './csv.js';
export { formatJson, formatJsonArray, formatJsonArrayItem } from './json.js';
export { formatJsonl } from './jsonl.js';
export { formatYaml, formatYamlStreamItem } from './yaml.js';

import type { OutputFormat } from './formats.js';

export { OUTPUT_FORMATS } from './formats.js';
export type { OutputFormat } from './formats.js';

export interface FormatOptions {
  /** csv only: start with the UTF-8 BOM (default true). Pass false for later files of one stream. */
  csvBom?: boolean;
  /** csv only: start with the header row (default true). Pass false for later files of one stream. */
  csvHeader?: boolean;
}

/** One PlanDocument → the text of one output file in the given format. */
export function formatPlan(doc: PlanDocument, format: OutputFormat, opts: FormatOptions = {}): string {
  switch (format) {
    case 'json':
      return formatJson(doc);
    case 'yaml':
      return formatYaml(doc);
    case 'jsonl':
      return formatJsonl(doc);
    case 'csv':
      return formatCsv(doc, { bom: opts.csvBom, header: opts.csvHeader });
  }
}

/**
 * Writes several documents as one output stream, piece by piece, so each
 * document can be written as soon as it is converted:
 * - json: one document → that document; several → one JSON array;
 * - yaml: one document → that document; several → a multi-document stream (`---`);
 * - csv: BOM and header once, then the rows of every document;
 * - jsonl: one line per document.
 * Call `item()` per document in output order, then `end()` once.
 */
export interface StreamFormatter {
  item(doc: PlanDocument): string;
  /** Text that closes the stream ('' for most formats). */
  end(): string;
}

export function createStreamFormatter(format: OutputFormat, opts: { multi: boolean }): StreamFormatter {
  let count = 0;
  switch (format) {
    case 'json':
      if (!opts.multi) return { item: (d) => formatJson(d), end: () => '' };
      return {
        item: (d) => (count++ === 0 ? '[\n' : ',\n') + formatJsonArrayItem(d),
        end: () => (count === 0 ? '[]\n' : '\n]\n'),
      };
    case 'yaml':
      return { item: (d) => (opts.multi ? formatYamlStreamItem(d) : formatYaml(d)), end: () => '' };
    case 'jsonl':
      return { item: (d) => formatJsonl(d), end: () => '' };
    case 'csv':
      return {
        item: (d) => {
          const first = count++ === 0;
          return formatCsvRows(csvRows(d), { bom: first, header: first });
        },
        end: () => (count === 0 ? formatCsvRows([]) : ''),
      };
  }
}

import type { SourceFormat } from '../model/document.js';
import type { OutputFormat } from '../writers/index.js';

export type FileStatus = 'ok' | 'warnings' | 'failed' | 'skipped';

/** What the parent sends a worker: paths only, never file contents. */
export interface WorkerTask {
  abs: string;
  rel: string;
  /** Absolute output path, already sanitised and checked by the parent. */
  out: string;
  /** Real path of the output folder; the worker re-checks the output's folder against it. */
  outRoot: string;
  format: OutputFormat;
  /** Which rows go to the combined file. */
  combined: 'csv' | 'jsonl';
  /**
   * The combined file being built (a temp file the parent renames at the end).
   * The worker appends this input's rows itself, in one write: the rows never
   * travel through the parent, which shares the cores with the workers.
   */
  combinedPath: string;
  maxBytes: number;
  /** Lower cap for inputs that sniff as txt/html. */
  maxTextBytes: number;
  debug: boolean;
  /** --resume: the previous report's entry; the worker reuses the output when the input is unchanged. */
  prev?: { sha256: string; size: number; mtimeMs: number; trustStat: boolean };
  /** Where the worker marks that this file really starts, and on which thread (see start-board.ts). */
  startBoard: { board: Int32Array; lane: number; epoch: number };
}

/** What one input came to: shared by a worker's result and its report.json entry. */
export interface FileOutcome {
  reason: string | null;
  code: string | null;
  format: SourceFormat | null;
  tasks: number;
  warnings: number;
  pages: number | null;
  ms: number;
  sha256: string | null;
  bytes: number | null;
  mtimeMs: number | null;
  /** Output path (relative to the output folder in report.json), or null when nothing was written. */
  output: string | null;
}

export interface WorkerResult extends FileOutcome {
  /** 'unchanged': --resume found the same input and its output; nothing converted. */
  status: 'ok' | 'warnings' | 'failed' | 'unchanged';
  stack?: string;
}

/** One entry of report.json. */
export interface ReportEntry extends FileOutcome {
  path: string;
  status: FileStatus;
  /** true when --resume reused the previous output. */
  resumed?: boolean;
}

export interface ReportTotals {
  files: number;
  ok: number;
  warnings: number;
  failed: number;
  skipped: number;
  resumed: number;
  tasks: number;
  pages: number;
}

export interface BatchReport {
  tool: 'gov-plan';
  reportVersion: 1;
  input: string;
  output: string;
  format: OutputFormat;
  combined: string;
  shard: { index: number; count: number } | null;
  startedAt: string;
  finishedAt: string;
  ms: number;
  threads: number;
  peakRssMb: number;
  totals: ReportTotals;
  /** Present on merged reports: the reports combined, and shards missing from an I/N set. */
  merged?: { from: string[]; missingShards: number[]; duplicates: string[] };
  files: ReportEntry[];
}

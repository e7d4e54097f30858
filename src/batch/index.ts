export { runBatch, formatSummary, batchFileNames, defaultWorkerFile, BatchUsageError, DEFAULT_MAX_BYTES, DEFAULT_MAX_TEXT_BYTES, DEFAULT_TIMEOUT_MS, DEFAULT_WORKER_HEAP_MB, LOW_MEMORY_WORKER_YOUNG_MB } from './run.js';
export type { BatchOptions, BatchResult } from './run.js';
export { walk, shardOf, parseShard } from './walk.js';
export type { InputFile, Shard, WalkProblem, WalkResult } from './walk.js';
export { sanitizeSegment, sanitizeRelPath, outputPathFor, OutputNamer, OutputEscapeError } from './names.js';
export { mergeReports, checkReport, totalsOf, MergeError } from './merge.js';
export type { BatchReport, ReportEntry, ReportTotals, FileStatus, WorkerTask, WorkerResult } from './types.js';

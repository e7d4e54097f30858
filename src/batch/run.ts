/**
 * Batch conversion of a folder: walk, shard, resume, convert in a worker
 * pool (workers append to the combined file), write report.json. No commander here; the
 * CLI in src/cli/batch.ts is a thin layer over runBatch().
 */
import { promises as fs, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { Piscina } from 'piscina';
import { formatCsvRows } from '../writers/csv.js';
import type { OutputFormat } from '../writers/formats.js';
import { totalsOf } from './merge.js';
import { OutputNamer } from './names.js';
import type { BatchReport, ReportEntry, ReportTotals, WorkerResult, WorkerTask } from './types.js';
import { shardOf, walk } from './walk.js';
import type { InputFile, Shard, WalkProblem } from './walk.js';
import { writeAtomic } from './atomic.js';
import { clearStart, newStartBoard, startedAt, threadOf } from './start-board.js';

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Real plans in text form are tens of KB; 32 MB leaves three orders of magnitude. */
export const DEFAULT_MAX_TEXT_BYTES = 32 * 1024 * 1024;
/**
 * Files in flight per worker: one converting, one waiting in the worker, so
 * that a worker never idles while the parent (which shares the two cores)
 * takes its result and hands over the next file. Measured on a loaded 2-core
 * machine: idle gaps between files fell from ~4 ms to ~0.
 */
const PIPELINE_DEPTH = 2;
/** A file that never started because its worker died under another one is run again, at most this many times in all. */
const MAX_UNSTARTED_RETRIES = 3;
/** V8 old-space cap per worker thread: a pathological file fails alone instead of exhausting the machine. */
export const DEFAULT_WORKER_HEAP_MB = 768;

/**
 * --low-memory: 8 MB semi-spaces instead of 16 (V8 rounds a semi-space to a
 * power of two, so there is nothing in between). Measured on the 2 000-file
 * archive (scripts/archive.js, 2 workers): peak RSS 316 -> 272 MB, CPU
 * 92 -> 104 s; after pdf.js stopped loading its canvas package, 290-301 ->
 * 252 MB, CPU 100 -> 127 s (more objects survive into the old generation and
 * are marked there). Not the default: the time matters more than 40-50 MB.
 */
export const LOW_MEMORY_WORKER_YOUNG_MB = 24;

/** Thrown for problems with the command line itself (exit code 2). */
export class BatchUsageError extends Error {}

export interface BatchOptions {
  input: string;
  outDir: string;
  format?: OutputFormat;
  /** Worker threads; default: CPU count. */
  jobs?: number;
  recursive?: boolean;
  resume?: boolean;
  include?: string[];
  exclude?: string[];
  maxBytes?: number;
  maxTextBytes?: number;
  timeoutMs?: number;
  shard?: Shard | null;
  debug?: boolean;
  /** Show a progress bar on stderr (the CLI passes: stderr is a TTY and not --quiet). */
  progress?: boolean;
  /** One line per failed/skipped file; default: stderr. */
  log?: (line: string) => void;
  /** Called once per input (and walk problem) as results arrive. */
  onResult?: (entry: ReportEntry, result: WorkerResult | null) => void;
  /** Override the compiled worker module (tests, bench). */
  workerFile?: string;
  workerHeapMb?: number;
  /** V8 young generation per worker (default: V8's own, 3 × 16 MB semi-spaces). */
  workerYoungMb?: number;
}

export interface BatchResult {
  report: BatchReport;
  reportPath: string;
  combinedPath: string;
  /** 0: every input converted; 1: at least one failed. */
  exitCode: 0 | 1;
}

export function defaultWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // Under a TS runner (vitest on src/), the worker must still be the compiled one.
  if (here.endsWith('.ts')) return path.resolve(path.dirname(here), '../../dist/batch/worker.js');
  return path.join(path.dirname(here), 'worker.js');
}

export function batchFileNames(format: OutputFormat, shard: Shard | null | undefined): { report: string; combined: string } {
  const tag = shard && shard.count > 1 ? `.shard-${shard.index}-of-${shard.count}` : '';
  return { report: `report${tag}.json`, combined: format === 'jsonl' ? `all${tag}.jsonl` : `all${tag}.csv` };
}

async function loadPrevious(reportPath: string, format: OutputFormat): Promise<Map<string, ReportEntry>> {
  const map = new Map<string, ReportEntry>();
  let parsed: BatchReport;
  try {
    parsed = JSON.parse(await fs.readFile(reportPath, 'utf8')) as BatchReport;
  } catch {
    return map;
  }
  if (!parsed || parsed.format !== format || !Array.isArray(parsed.files)) return map;
  for (const e of parsed.files) {
    if (e && typeof e.path === 'string' && (e.status === 'ok' || e.status === 'warnings') && e.sha256 && e.output) map.set(e.path, e);
  }
  return map;
}

function fmtSeconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function failureFromPool(err: unknown, timeoutMs: number, heapMb: number, timedOut: boolean): { code: string; reason: string } {
  const e = err as Error & { code?: string };
  if (timedOut) {
    return { code: 'TIMEOUT', reason: `timed out after ${fmtSeconds(timeoutMs)} (conversion stopped; raise --timeout for very large files)` };
  }
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { code: 'OUT_OF_MEMORY', reason: `ran out of memory (worker heap limit ${heapMb} MB); file too large or malformed` };
  }
  return { code: 'INTERNAL', reason: `worker crashed (please report this file): ${e?.message ?? String(err)}` };
}

export async function runBatch(opts: BatchOptions): Promise<BatchResult> {
  const started = Date.now();
  const t0 = performance.now();
  const format: OutputFormat = opts.format ?? 'json';
  const jobs = Math.max(1, Math.floor(opts.jobs ?? (os.availableParallelism?.() ?? os.cpus().length)));
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxTextBytes = Math.min(maxBytes, opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const heapMb = opts.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB;
  const shard = opts.shard && opts.shard.count > 1 ? opts.shard : null;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const inputAbs = path.resolve(opts.input);
  const inStat = await fs.stat(inputAbs).catch((err: NodeJS.ErrnoException) => {
    throw new BatchUsageError(`${opts.input}: ${err.code === 'ENOENT' ? 'no such folder' : `cannot open (${err.code ?? err.message})`}`);
  });
  if (!inStat.isDirectory()) throw new BatchUsageError(`${opts.input}: not a folder (batch converts a folder; use "gov-plan parse" for one file)`);
  const inputReal = await fs.realpath(inputAbs);
  const outAbs = path.resolve(opts.outDir);
  try {
    await fs.mkdir(outAbs, { recursive: true });
  } catch (err) {
    throw new BatchUsageError(`${opts.outDir}: cannot create the output folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const outReal = await fs.realpath(outAbs);
  if (outReal === inputReal) throw new BatchUsageError('the output folder must not be the input folder');

  const names = batchFileNames(format, shard);
  const reportPath = path.join(outReal, names.report);
  const combinedPath = path.join(outReal, names.combined);
  const previous = opts.resume ? await loadPrevious(reportPath, format) : new Map<string, ReportEntry>();

  // Started before the walk: the workers load their modules while the folder is listed.
  const pool = new Piscina<WorkerTask, WorkerResult>({
    filename: opts.workerFile ?? defaultWorkerFile(),
    minThreads: jobs,
    maxThreads: jobs,
    idleTimeout: 1000,
    concurrentTasksPerWorker: PIPELINE_DEPTH,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, ...(opts.workerYoungMb ? { maxYoungGenerationSizeMb: opts.workerYoungMb } : {}) },
  });

  let walked: Awaited<ReturnType<typeof walk>>;
  try {
    walked = await walk(inputReal, {
      recursive: opts.recursive ?? true,
      include: opts.include,
      exclude: opts.exclude,
      skipDirs: [outReal],
    });
  } catch (err) {
    await pool.destroy().catch(() => {});
    throw err;
  }
  const inShard = (rel: string) => !shard || shardOf(rel, shard.count) === shard.index;
  const files: InputFile[] = walked.files.filter((f) => inShard(f.rel));
  const problems: WalkProblem[] = walked.problems.filter((p) => inShard(p.rel));

  const namer = new OutputNamer(outReal, format, [names.report, names.combined]);
  const nameFailures: WalkProblem[] = [];
  const named: { file: InputFile; out: string }[] = [];
  for (const f of files) {
    try {
      named.push({ file: f, out: namer.assign(f.rel) });
    } catch (err) {
      nameFailures.push({ rel: f.rel, severity: 'failed', reason: (err as Error).message });
    }
  }
  problems.push(...nameFailures);

  // Combined file: workers append each input's rows to a temp file, renamed at the end.
  const combinedTmp = `${combinedPath}.${process.pid}.tmp`;
  const combinedKind: 'csv' | 'jsonl' = format === 'jsonl' ? 'jsonl' : 'csv';
  try {
    writeFileSync(combinedTmp, combinedKind === 'csv' ? formatCsvRows([], { bom: true, header: true }) : '');
  } catch (err) {
    await pool.destroy().catch(() => {});
    throw new BatchUsageError(`cannot write ${combinedPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }

  const entries: ReportEntry[] = [];
  const relOut = (p: string | null) => (p ? path.relative(outReal, p).split(path.sep).join('/') : null);

  let bar: cliProgress.MultiBar | null = null;
  let barItem: cliProgress.SingleBar | null = null;
  const say = (line: string) => {
    if (bar) bar.log(`${line}\n`);
    else log(line);
  };
  const total = named.length + problems.length;
  if (opts.progress && total > 0) {
    bar = new cliProgress.MultiBar(
      {
        stream: process.stderr,
        format: 'gov-plan batch [{bar}] {value}/{total} files | {failed} failed | {eta_formatted} left',
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    barItem = bar.create(total, 0, { failed: 0 });
  }
  let failedCount = 0;
  const tick = () => barItem?.increment(1, { failed: failedCount });

  for (const p of problems) {
    const entry: ReportEntry = {
      path: p.rel, status: p.severity, reason: p.reason, code: p.severity === 'failed' ? 'IO' : 'SKIPPED', format: null,
      tasks: 0, warnings: 0, pages: null, ms: 0, sha256: null, bytes: null, mtimeMs: null, output: null,
    };
    entries.push(entry);
    if (p.severity === 'failed') failedCount++;
    say(`gov-plan: ${p.rel}: ${p.severity === 'skipped' ? 'skipped: ' : ''}${p.reason}`);
    opts.onResult?.(entry, null);
    tick();
  }

  // Each lane is one file in flight. A worker marks on the start board when a
  // file really starts, and on which thread. The timeout then ends that thread
  // itself: piscina's abort signals would make every task exclusive (its
  // balancer never queues behind an abortable task), which is the idle gap
  // the queue is there to close.
  const laneCount = Math.min(jobs * PIPELINE_DEPTH, named.length);
  const board = newStartBoard(laneCount);
  const epoch = Date.now();
  const inFlight: ({ timedOut: boolean } | null)[] = new Array(laneCount).fill(null);
  const watchdog = setInterval(() => {
    const now = Date.now() - epoch;
    for (let lane = 0; lane < laneCount; lane++) {
      const started = startedAt(board, lane);
      const job = inFlight[lane];
      if (!job || job.timedOut || started === null || now - started <= timeoutMs) continue;
      job.timedOut = true;
      const threadId = threadOf(board, lane);
      // piscina fails the thread's tasks and starts a new worker in its place.
      void pool.threads.find((w) => w.threadId === threadId)?.terminate();
    }
  }, Math.min(250, Math.max(1, Math.floor(timeoutMs / 4))));
  watchdog.unref();

  const runOne = async (i: number, lane: number): Promise<void> => {
    const { file: f, out } = named[i];
    const prevEntry = previous.get(f.rel);
    const task: WorkerTask = {
      abs: f.abs, rel: f.rel, out, outRoot: outReal, format, combined: combinedKind, combinedPath: combinedTmp, maxBytes, maxTextBytes, debug: !!opts.debug,
      prev: prevEntry && prevEntry.sha256 && prevEntry.output && path.resolve(outReal, prevEntry.output) === out
        ? { sha256: prevEntry.sha256, size: prevEntry.bytes ?? -1, mtimeMs: prevEntry.mtimeMs ?? -1, trustStat: true }
        : undefined,
      startBoard: { board, lane, epoch },
    };
    const ts = performance.now();
    let r: WorkerResult | null = null;
    for (let attempt = 1; r === null; attempt++) {
      const job = { timedOut: false };
      clearStart(board, lane);
      inFlight[lane] = job;
      try {
        r = await pool.run(task);
      } catch (err) {
        // A file queued behind one that timed out or crashed loses its worker
        // before it starts: it is not at fault and runs again on a fresh one.
        if (startedAt(board, lane) === null && !job.timedOut && attempt < MAX_UNSTARTED_RETRIES) continue;
        const { code, reason } = failureFromPool(err, timeoutMs, heapMb, job.timedOut);
        r = {
          status: 'failed', reason, code, format: null, tasks: 0, warnings: 0, pages: null, ms: performance.now() - ts,
          sha256: null, bytes: f.size, mtimeMs: f.mtimeMs, output: null,
          stack: opts.debug ? (err as Error)?.stack : undefined,
        };
        await fs.unlink(out).catch(() => {});
      } finally {
        inFlight[lane] = null;
      }
    }
    let entry: ReportEntry;
    if (r.status === 'unchanged' && prevEntry) {
      entry = { ...prevEntry, path: f.rel, output: relOut(out), bytes: r.bytes ?? prevEntry.bytes, mtimeMs: r.mtimeMs ?? prevEntry.mtimeMs, resumed: true };
    } else {
      entry = {
        path: f.rel, status: r.status === 'unchanged' ? 'ok' : r.status, reason: r.reason, code: r.code, format: r.format,
        tasks: r.tasks, warnings: r.warnings, pages: r.pages, ms: Math.round(r.ms * 10) / 10, sha256: r.sha256,
        bytes: r.bytes, mtimeMs: r.mtimeMs, output: relOut(r.output),
      };
    }
    entries.push(entry);
    if (entry.status === 'failed') {
      failedCount++;
      say(`gov-plan: ${f.rel}: ${r.reason}`);
    }
    if (r.stack && opts.debug) say(r.stack);
    opts.onResult?.(entry, r);
    tick();
  };

  let next = 0;
  const lanes = Array.from({ length: laneCount }, async (_, lane) => {
    while (next < named.length) await runOne(next++, lane);
  });
  try {
    await Promise.all(lanes);
  } finally {
    clearInterval(watchdog);
    await pool.destroy().catch(() => {});
    bar?.stop();
  }
  await fs.rename(combinedTmp, combinedPath);

  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const totals: ReportTotals = totalsOf(entries);
  // Worker threads share this process: its peak RSS covers them.
  const peakKb = process.resourceUsage().maxRSS;
  const report: BatchReport = {
    tool: 'gov-plan',
    reportVersion: 1,
    input: inputReal,
    output: outReal,
    format,
    combined: names.combined,
    shard,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    ms: Math.round(performance.now() - t0),
    threads: jobs,
    peakRssMb: Math.round(peakKb / 1024),
    totals,
    files: entries,
  };
  writeAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`, outReal);
  return { report, reportPath, combinedPath, exitCode: totals.failed > 0 ? 1 : 0 };
}

/** The one-screen summary printed on stderr at the end of a batch. */
export function formatSummary(res: BatchResult, opts: { maxFailures?: number } = {}): string {
  const { report } = res;
  const t = report.totals;
  const secs = report.ms / 1000;
  const converted = t.ok + t.warnings - t.resumed;
  const lines: string[] = [];
  lines.push(
    `gov-plan batch: ${t.files} file${t.files === 1 ? '' : 's'} in ${secs.toFixed(1)} s` +
      ` (${converted} converted${secs > 0 && converted > 0 ? `, ${(converted / secs).toFixed(1)} files/s` : ''}` +
      `, ${report.threads} thread${report.threads === 1 ? '' : 's'}, peak RSS ${report.peakRssMb} MB)`,
  );
  lines.push(`  ok ${t.ok - countResumed(report, 'ok')} · with warnings ${t.warnings - countResumed(report, 'warnings')} · failed ${t.failed} · skipped ${t.skipped} · unchanged (--resume) ${t.resumed}`);
  lines.push(`  tasks ${t.tasks} · pages ${t.pages}${report.shard ? ` · shard ${report.shard.index}/${report.shard.count}` : ''}`);
  const byFormat = new Map<string, { n: number; failed: number }>();
  for (const e of report.files) {
    if (!e.format) continue;
    const b = byFormat.get(e.format) ?? { n: 0, failed: 0 };
    b.n++;
    byFormat.set(e.format, b);
  }
  if (byFormat.size) lines.push(`  by format: ${[...byFormat].map(([k, v]) => `${k} ${v.n}`).join(' · ')}`);
  lines.push(`  outputs: ${report.output}${path.sep} (${report.format}) · combined: ${report.combined} · report: ${path.basename(res.reportPath)}`);
  const failures = report.files.filter((e) => e.status === 'failed');
  if (failures.length) {
    const max = opts.maxFailures ?? 8;
    lines.push(`  failed files:`);
    for (const e of failures.slice(0, max)) lines.push(`    ${e.path}: ${e.reason}`);
    if (failures.length > max) lines.push(`    … and ${failures.length - max} more (see ${path.basename(res.reportPath)})`);
  }
  return lines.join('\n');
}

function countResumed(report: BatchReport, status: 'ok' | 'warnings'): number {
  return report.files.filter((e) => e.resumed && e.status === status).length;
}


/**
 * Piscina worker: one input file per task. The worker opens the file itself
 * (the parent never holds file contents), enforces --max-bytes before
 * reading, converts, writes the output atomically and returns a small
 * summary; it appends the input's rows to the combined file itself.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { load as loadYaml } from 'js-yaml';
import { InputError } from '../model/document.js';
import type { PlanDocument } from '../model/schema.js';
import { convert } from '../pipeline.js';
import { sniffFormat } from '../readers/sniff.js';
import { csvRows, formatCsvRows, formatJsonl, formatPlan } from '../writers/index.js';
import { writeAtomic } from './atomic.js';
import { oneAtATime } from './one-at-a-time.js';
import { markStart } from './start-board.js';
import { OutputEscapeError } from './names.js';
import type { WorkerResult, WorkerTask } from './types.js';
import { ioReason } from './io-reason.js';

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

function base(): WorkerResult {
  return {
    status: 'failed', reason: null, code: null, format: null, tasks: 0, warnings: 0, pages: null, ms: 0,
    sha256: null, bytes: null, mtimeMs: null, output: null,
  };
}

class ReadFailure extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

/** Blocking reads: a worker converts one file at a time, and each asynchronous call would be a thread-pool round trip. */
function readInput(task: WorkerTask): { bytes: Uint8Array; size: number; mtimeMs: number } {
  let fd: number;
  try {
    fd = openSync(task.abs, 'r');
  } catch (err) {
    throw new ReadFailure('IO', `cannot open: ${ioReason(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new ReadFailure('IO', 'is a directory');
    if (!st.isFile()) throw new ReadFailure('IO', 'not a regular file');
    if (st.size > task.maxBytes) {
      throw new ReadFailure('TOO_LARGE', `file is ${MB(st.size)}, over the --max-bytes limit of ${MB(task.maxBytes)}`);
    }
    // A plain Uint8Array (not a pooled Buffer): pdf.js rejects Buffers and may transfer the memory.
    const buf = new Uint8Array(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { bytes: off === st.size ? buf : buf.subarray(0, off), size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    if (err instanceof ReadFailure) throw err;
    throw new ReadFailure('IO', `cannot read: ${ioReason(err)}`);
  } finally {
    try {
      closeSync(fd);
    } catch {
      /* already reported */
    }
  }
}

function combinedFor(doc: PlanDocument, task: WorkerTask): string {
  return task.combined === 'jsonl' ? formatJsonl(doc) : formatCsvRows(csvRows(doc), { bom: false, header: false });
}

/**
 * One append per input: on a local file system an O_APPEND write is placed
 * whole at the end, so the two workers' rows never interleave.
 */
function appendCombined(task: WorkerTask, text: string): void {
  if (!text) return;
  try {
    appendFileSync(task.combinedPath, text);
  } catch (err) {
    throw new ReadFailure('OUTPUT', `cannot add its rows to the combined file: ${ioReason(err)}`);
  }
}

/** --resume: rebuild the combined rows from the output written last time (no conversion). */
async function combinedFromOutput(task: WorkerTask): Promise<string | null> {
  let text: string;
  try {
    text = await fs.readFile(task.out, 'utf8');
  } catch {
    return null;
  }
  try {
    if (task.format === 'csv' && task.combined === 'csv') {
      const body = text.replace(/^\uFEFF/, '');
      const nl = body.indexOf('\r\n');
      return nl < 0 ? '' : body.slice(nl + 2);
    }
    let doc: PlanDocument;
    if (task.format === 'json' || task.format === 'jsonl') doc = JSON.parse(text) as PlanDocument;
    else if (task.format === 'yaml') doc = loadYaml(text) as PlanDocument;
    else return null;
    if (!doc || !Array.isArray(doc.tasks) || !doc.source) return null;
    return combinedFor(doc, task);
  } catch {
    return null;
  }
}

/**
 * A reader library can reject a promise nobody awaits after the file it
 * belonged to is finished (pdf.js does, on some damaged PDFs). Left alone it
 * would kill this worker and fail whichever unrelated file runs next; it is
 * recorded instead and shown with --debug.
 */
const strays: string[] = [];
process.on('unhandledRejection', (reason) => {
  const e = reason as Error;
  strays.push(`${e?.name ?? 'Error'}: ${e?.message ?? String(reason)}`);
});

/** Tell the parent's timeout clock that this file starts now. */
export function markStarted(task: WorkerTask): void {
  const { board, lane, epoch } = task.startBoard;
  markStart(board, lane, epoch, threadId);
}

export async function convertTask(task: WorkerTask): Promise<WorkerResult> {
  markStarted(task);
  const r0 = await runTaskInner(task);
  if (task.debug && strays.length) {
    r0.stack = `${r0.stack ? `${r0.stack}\n` : ''}(debug) unhandled promise rejections in this worker, from this or an earlier file: ${strays.splice(0).join(' | ')}`;
  } else strays.length = 0;
  return r0;
}

export default oneAtATime(convertTask);

async function runTaskInner(task: WorkerTask): Promise<WorkerResult> {
  const t0 = performance.now();
  const r = base();
  try {
    // Fast path: same size and mtime as last time and the output is still there.
    if (task.prev?.trustStat) {
      const st = await fs.stat(task.abs).catch(() => null);
      if (st && st.size === task.prev.size && st.mtimeMs === task.prev.mtimeMs) {
        const text = await combinedFromOutput(task);
        if (text !== null) {
          appendCombined(task, text);
          return { ...r, status: 'unchanged', sha256: task.prev.sha256, bytes: st.size, mtimeMs: st.mtimeMs, output: task.out, ms: performance.now() - t0 };
        }
      }
    }
    const input = readInput(task);
    r.bytes = input.size;
    r.mtimeMs = input.mtimeMs;
    r.sha256 = createHash('sha256').update(input.bytes).digest('hex');
    if (task.prev && task.prev.sha256 === r.sha256) {
      const text = await combinedFromOutput(task);
      if (text !== null) {
        appendCombined(task, text);
        return { ...r, status: 'unchanged', output: task.out, ms: performance.now() - t0 };
      }
    }
    if (input.size > task.maxTextBytes) {
      // Text and html plans are tens of KB; a text input this large is a dump or a log, and
      // layout recovery on it would only exhaust memory. Binary formats keep the --max-bytes limit.
      let fmt: string | null = null;
      try {
        fmt = sniffFormat(input.bytes);
      } catch {
        /* convert() reports it */
      }
      if (fmt === 'txt' || fmt === 'html') {
        throw new ReadFailure('TOO_LARGE', `${fmt} file is ${MB(input.size)}, over the ${MB(task.maxTextBytes)} limit for text inputs (--max-text-bytes)`);
      }
    }
    const doc = await convert({ bytes: input.bytes, path: task.rel, sha256: r.sha256 });
    r.format = doc.source.format;
    r.tasks = doc.tasks.length;
    r.warnings = doc.warnings.length;
    r.pages = doc.source.pages;
    const text = formatPlan(doc, task.format);
    try {
      writeAtomic(task.out, text, task.outRoot);
    } catch (err) {
      if (err instanceof OutputEscapeError) throw new ReadFailure('OUTPUT', err.message);
      throw new ReadFailure('OUTPUT', `cannot write the output ${task.out}: ${ioReason(err)}`);
    }
    r.output = task.out;
    appendCombined(task, combinedFor(doc, task));
    r.status = doc.warnings.length ? 'warnings' : 'ok';
  } catch (err) {
    r.status = 'failed';
    if (err instanceof InputError) {
      r.code = err.code;
      r.reason = err.message;
    } else if (err instanceof ReadFailure) {
      r.code = err.code;
      r.reason = err.message;
    } else {
      const e = err as Error;
      r.code = 'INTERNAL';
      r.reason = `internal error (please report this file): ${e?.message ?? String(err)}`;
      if (task.debug && e?.stack) r.stack = e.stack;
    }
    // A stale output from an earlier run must not pass for this input's result.
    await fs.unlink(task.out).catch(() => {});
  }
  r.ms = performance.now() - t0;
  return r;
}

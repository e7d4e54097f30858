/**
 * `gov-plan batch <dir>` and `gov-plan merge-reports`. The main CLI calls
 * registerBatch(program). Exit codes: 0 every input converted, 1 at least
 * one failed (all other outputs still written), 2 usage error.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  BatchUsageError,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_TEXT_BYTES,
  DEFAULT_TIMEOUT_MS,
  LOW_MEMORY_WORKER_YOUNG_MB,
  MergeError,
  checkReport,
  formatSummary,
  mergeReports,
  parseShard,
  runBatch,
} from '../batch/index.js';
import type { BatchReport, Shard } from '../batch/index.js';
import { writeAtomic } from '../batch/atomic.js';
import { OUTPUT_FORMATS } from '../writers/formats.js';
import type { OutputFormat } from '../writers/formats.js';

export interface RegisterBatchOptions {
  /** How the command reports its exit code; default: process.exitCode. */
  setExitCode?: (code: number) => void;
}

const USAGE_EXIT = 2;

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return n;
  };
}

/** 200MB, 1.5G, 500k, 1048576 → bytes. */
export function parseSize(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(v);
  if (!m) throw new InvalidArgumentError('expected a size such as 200MB, 1.5G or 1048576');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const n = Math.floor(Number(m[1]) * mult);
  if (n < 1) throw new InvalidArgumentError('size must be positive');
  return n;
}

/** 60, 60s, 2m, 1500ms → milliseconds (a bare number is seconds). */
export function parseDuration(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/i.exec(v);
  if (!m) throw new InvalidArgumentError('expected a duration such as 60, 90s, 2m or 1500ms');
  const unit = (m[2] ?? 's').toLowerCase();
  const ms = Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
  if (ms < 1) throw new InvalidArgumentError('duration must be positive');
  return Math.round(ms);
}

function shardArg(v: string): Shard {
  try {
    return parseShard(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message.replace(/^--shard [^:]*: /, ''));
  }
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

/**
 * Commander exits with 1 on its own usage errors; SPEC §3 wants 2. Wrap
 * whatever exit handling the program already has (exitOverride or none) so
 * that usage errors of these commands carry exit code 2.
 */
function usageExitCode2(cmd: Command): void {
  const inherited = (cmd as unknown as { _exitCallback?: (e: CommanderError) => void })._exitCallback;
  cmd.exitOverride((err) => {
    const usage = err.exitCode !== 0 && err.code.startsWith('commander.') && err.code !== 'commander.executeSubCommandAsync';
    const e = usage ? new CommanderError(USAGE_EXIT, err.code, err.message) : err;
    if (inherited) inherited(e);
    process.exit(e.exitCode);
  });
}

function isDebug(cmd: Command): boolean {
  return !!cmd.optsWithGlobals().debug || process.env.GOV_PLAN_DEBUG === '1';
}

export function registerBatch(program: Command, ropts: RegisterBatchOptions = {}): void {
  const setExit = ropts.setExitCode ?? ((code: number) => { process.exitCode = code; });

  const batch = program
    .command('batch')
    .description('convert every file of a folder (docx, pdf, html, txt — recognised by their bytes) into <outdir>, one output per input, plus a combined all.csv/all.jsonl and report.json')
    .argument('<dir>', 'folder to convert')
    .requiredOption('-o, --out <outdir>', 'output folder (created if needed); outputs mirror the input tree')
    .addOption(new Option('-f, --format <format>', 'per-file output format').choices([...OUTPUT_FORMATS]).default('json'))
    .option('-j, --jobs <n>', 'worker threads (default: number of CPUs)', positiveInt('--jobs'))
    .option('--recursive', 'descend into sub-folders (the default)')
    .option('--no-recursive', 'only the files directly inside <dir>')
    .option('--resume', 'skip inputs unchanged since the last run (same size+mtime or sha256 as in report.json) whose output still exists')
    .option('--include <glob>', 'only inputs matching the glob (picomatch; repeatable or comma-separated; a pattern without "/" matches the file name anywhere)', collect)
    .option('--exclude <glob>', 'skip inputs matching the glob (repeatable or comma-separated)', collect)
    .addOption(new Option('--max-bytes <size>', 'fail files larger than this without reading them (e.g. 50MB)').argParser(parseSize).default(DEFAULT_MAX_BYTES, '200MB'))
    .addOption(new Option('--max-text-bytes <size>', 'lower limit for inputs that are text or html (real plans are tens of KB)').argParser(parseSize).default(DEFAULT_MAX_TEXT_BYTES, '32MB'))
    .addOption(new Option('--timeout <duration>', 'per-file time limit; the file fails and its worker is restarted (e.g. 60, 90s, 2m)').argParser(parseDuration).default(DEFAULT_TIMEOUT_MS, '60s'))
    .option('--shard <I/N>', 'convert only slice I of N (I counts from 0), chosen by a stable hash of each relative path; each shard writes report.shard-I-of-N.json', shardArg)
    .option('--low-memory', `smaller young generation per worker (${LOW_MEMORY_WORKER_YOUNG_MB} MB): about 40-60 MB less peak memory with two workers, 13-27 % more CPU`)
    .option('-q, --quiet', 'no progress bar and no summary; failed files are still listed')
    .option('--debug', 'print stack traces of internal errors')
    .addHelpText(
      'after',
      `
Exit codes: 0 every input converted, 1 at least one input failed (every other output is still written), 2 usage error.

Examples:
  gov-plan batch archive/ -o out/                 # out/a/b/plan.pdf.json …, out/all.csv, out/report.json
  gov-plan batch archive/ -o out/ -f csv --resume # second run only converts new or changed files
  parallel gov-plan batch archive/ -o out/ --shard {}/4 ::: 0 1 2 3
  gov-plan merge-reports out/report.shard-*.json -o out/report.json --combined out/all.csv`,
    )
    .action(async (dir: string, o: Record<string, unknown>, cmd: Command) => {
      const debug = isDebug(cmd);
      try {
        const res = await runBatch({
          input: dir,
          outDir: o.out as string,
          format: o.format as OutputFormat,
          jobs: o.jobs as number | undefined,
          recursive: (o.recursive as boolean | undefined) ?? true,
          resume: !!o.resume,
          include: o.include as string[] | undefined,
          exclude: o.exclude as string[] | undefined,
          maxBytes: o.maxBytes as number,
          maxTextBytes: o.maxTextBytes as number,
          timeoutMs: o.timeout as number,
          shard: (o.shard as Shard | undefined) ?? null,
          debug,
          progress: !o.quiet && !!process.stderr.isTTY,
          workerYoungMb: o.lowMemory ? LOW_MEMORY_WORKER_YOUNG_MB : undefined,
        });
        if (!o.quiet) process.stderr.write(`${formatSummary(res)}\n`);
        setExit(res.exitCode);
      } catch (err) {
        if (err instanceof BatchUsageError) {
          process.stderr.write(`gov-plan batch: ${err.message}\n`);
          setExit(USAGE_EXIT);
          return;
        }
        process.stderr.write(`gov-plan batch: ${(err as Error)?.message ?? String(err)}\n`);
        if (debug && (err as Error)?.stack) process.stderr.write(`${(err as Error).stack}\n`);
        setExit(1);
      }
    });
  usageExitCode2(batch);

  const merge = program
    .command('merge-reports')
    .description('combine the report.json files of several batch shards (or runs) into one report')
    .argument('<reports...>', 'report files written by "gov-plan batch"')
    .requiredOption('-o, --out <file>', 'merged report to write ("-" for stdout)')
    .option('--combined <file>', "also concatenate the shards' all.*.csv / all.*.jsonl into this file (one CSV header)")
    .option('--debug', 'print stack traces of internal errors')
    .action(async (files: string[], o: { out: string; combined?: string }, cmd: Command) => {
      try {
        const reports: { name: string; report: BatchReport }[] = [];
        for (const f of files) {
          let text: string;
          try {
            text = await fs.readFile(f, 'utf8');
          } catch (err) {
            throw new MergeError(`${f}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
          }
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            throw new MergeError(`${f}: not valid JSON`);
          }
          reports.push({ name: f, report: checkReport(value, f) });
        }
        const merged = mergeReports(reports);
        const text = `${JSON.stringify(merged, null, 2)}\n`;
        if (o.out === '-') process.stdout.write(text);
        else {
          const target = path.resolve(o.out);
          await fs.mkdir(path.dirname(target), { recursive: true });
          const dir = await fs.realpath(path.dirname(target));
          writeAtomic(path.join(dir, path.basename(target)), text, dir);
        }
        if (o.combined) await concatCombined(reports, o.combined);
        const t = merged.totals;
        process.stderr.write(
          `gov-plan merge-reports: ${reports.length} reports, ${t.files} files: ok ${t.ok} · with warnings ${t.warnings} · failed ${t.failed} · skipped ${t.skipped} · tasks ${t.tasks}\n`,
        );
        if (merged.merged?.missingShards.length) {
          process.stderr.write(`gov-plan merge-reports: warning: shards missing from the set: ${merged.merged.missingShards.join(', ')}\n`);
        }
        if (merged.merged?.duplicates.length) {
          process.stderr.write(`gov-plan merge-reports: warning: ${merged.merged.duplicates.length} files appear in several reports; the latest run's entry was kept\n`);
        }
        setExit(0);
      } catch (err) {
        if (err instanceof MergeError) {
          process.stderr.write(`gov-plan merge-reports: ${err.message}\n`);
          setExit(USAGE_EXIT);
          return;
        }
        process.stderr.write(`gov-plan merge-reports: ${(err as Error)?.message ?? String(err)}\n`);
        if (isDebug(cmd) && (err as Error)?.stack) process.stderr.write(`${(err as Error).stack}\n`);
        setExit(1);
      }
    });
  usageExitCode2(merge);
}

/** Concatenates the combined files of several shard reports: CSV keeps one BOM + header, JSONL is appended as is. */
async function concatCombined(reports: { name: string; report: BatchReport }[], target: string): Promise<void> {
  const parts: string[] = [];
  for (const { name, report } of reports) {
    const file = path.join(report.output, report.combined);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      throw new MergeError(`${name}: cannot read its combined file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (report.combined.endsWith('.csv') && parts.length > 0) {
      const body = text.replace(/^\uFEFF/, '');
      const nl = body.indexOf('\r\n');
      text = nl < 0 ? '' : body.slice(nl + 2);
    }
    parts.push(text);
  }
  const abs = path.resolve(target);
  await fs.mkdir(path.dirname(abs), { recursive: true });
  const dir = await fs.realpath(path.dirname(abs));
  writeAtomic(path.join(dir, path.basename(abs)), parts.join(''), dir);
}

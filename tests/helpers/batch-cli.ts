/** Runs the built CLI (bin/gov-plan.js → dist/) in a child process, optionally measuring its peak RSS. */
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/gov-plan.js');
const TIME = '/usr/bin/time';

/** `npm test` builds first; a bare `vitest run` builds here if dist/ is missing. */
export function ensureBuilt(): void {
  if (!existsSync(path.join(ROOT, 'dist/cli/batch.js')) || !existsSync(path.join(ROOT, 'dist/batch/worker.js'))) {
    execSync('npx tsc -p tsconfig.json', { cwd: ROOT, stdio: 'inherit' });
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak RSS of the child in KB, when /usr/bin/time is available and measureRss was set. */
  maxRssKb: number | null;
}

export function hasGnuTime(): boolean {
  if (!existsSync(TIME)) return false;
  const r = spawnSync(TIME, ['-v', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr);
}

export function runCli(args: string[], opts: { measureRss?: boolean; timeoutMs?: number; cwd?: string } = {}): CliRun {
  let cmd = process.execPath;
  let argv = [BIN, ...args];
  let timeFile: string | null = null;
  if (opts.measureRss && hasGnuTime()) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gov-plan-time-'));
    timeFile = path.join(dir, 'time.txt');
    argv = ['-v', '-o', timeFile, process.execPath, ...argv];
    cmd = TIME;
  }
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  let maxRssKb: number | null = null;
  if (timeFile) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
    maxRssKb = m ? Number(m[1]) : null;
    rmSync(path.dirname(timeFile), { recursive: true, force: true });
  }
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, maxRssKb };
}

/** A Node stack frame ("    at fn (file.js:1:2)"). */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/** Lines of stderr that name `rel`. */
export function linesNaming(stderr: string, rel: string): string[] {
  return stderr.split('\n').filter((l) => l.includes(rel));
}

#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * `batch` keeps one V8 isolate busy per core, so V8's helper threads only
 * steal from them: with `--single-threaded` GC and optimising compilation
 * run on each isolate's own thread. A worker converts a few hundred files at
 * most, and TurboFan compiling every function that gets warm costs more
 * than it returns over that span, so the budget before a function is
 * optimised is raised (V8's default is 67 584). Measured on 2 cores, against
 * `--single-threaded-gc` alone: 100 docx 1.8 → 1.4 s, 120 html 2.0 → 1.5 s,
 * 360 txt 3.6 → 2.8 s, 70 PDFs 12.6 → 10.9 s, the 2 000-file archive
 * 58 → 45 s; 500 docx unchanged within the noise. The flags can only be given
 * when node starts, so batch restarts itself with them once (`npm run bench`
 * passes the same ones). GOV_PLAN_NO_RESPAWN=1 turns this off.
 */
const BATCH_FLAGS = ['--single-threaded', '--interrupt-budget=250000'];
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (command === 'batch' && !process.execArgv.includes(BATCH_FLAGS[0]) && !process.env.GOV_PLAN_NO_RESPAWN) {
  const child = spawn(process.execPath, [...process.execArgv, ...BATCH_FLAGS, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    // glibc gives each worker thread its own malloc arenas, which keep what was freed: two
    // arenas cut the 2 000-file archive's peak RSS 330 -> 317 MB at no measurable cost.
    // (Ignored by other C libraries; a value the user set wins.)
    env: { MALLOC_ARENA_MAX: '2', ...process.env },
  });
  // Ctrl-C reaches the child from the terminal itself; other signals sent to this process are passed on.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    process.stderr.write(`gov-plan: cannot start batch: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 1) : (code ?? 1)));
} else {
  const { main } = await import('../dist/cli/main.js');
  const debug = process.argv.includes('--debug');
  // pdf.js can reject a promise nobody awaits after a damaged file is already
  // reported; that must not end the run with a stack trace.
  process.on('unhandledRejection', (reason) => {
    if (debug) process.stderr.write(`gov-plan: (debug) stray rejection: ${reason && reason.stack ? reason.stack : String(reason)}\n`);
  });

  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`gov-plan: ${err && err.message ? err.message : String(err)}\n`);
      if (debug && err && err.stack) process.stderr.write(`${err.stack}\n`);
      process.exitCode = 1;
    },
  );
}

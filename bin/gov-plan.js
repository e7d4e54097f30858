#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * `batch` keeps one V8 isolate busy per core; V8's concurrent GC helper
 * threads then fight those isolates for the same cores (measured on 2 cores:
 * a 1000-docx batch ran about 30 % faster with GC kept on each isolate's own
 * thread). The flag can only be given when node starts, so batch restarts
 * itself with it once. GOV_PLAN_NO_RESPAWN=1 turns this off.
 */
const GC_FLAG = '--single-threaded-gc';
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (command === 'batch' && !process.execArgv.includes(GC_FLAG) && !process.env.GOV_PLAN_NO_RESPAWN) {
  const child = spawn(process.execPath, [...process.execArgv, GC_FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
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

#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

const debug = process.argv.includes('--debug');
// pdf.js can reject a promise nobody awaits after a damaged file is already
// reported; that must not end the run with a stack trace.
process.on('unhandledRejection', (reason) => {
  if (debug) process.stderr.write(`gov-plan: (debug) stray rejection: ${reason && reason.stack ? reason.stack : String(reason)}\n`);
});

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`gov-plan: ${err && err.message ? err.message : String(err)}\n`);
    if (debug && err && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);

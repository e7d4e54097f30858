#!/usr/bin/env node
/**
 * npm run archive — the batch issue's acceptance run: a folder of N files
 * (default 2000) of every format, a share of them corrupt (default 5 %),
 * converted by the real CLI (`gov-plan batch`, as a user runs it), then
 * checked: every good file has its output and an ok/warnings entry, every
 * corrupt one is `failed` in report.json with a reason, nothing else is
 * missing; and measured: wall time, files/s, peak RSS (GNU time when
 * installed, else the report's own figure), CPU use (both cores busy?).
 *
 *   node scripts/archive.js [--files N] [--corrupt 0.05] [--jobs N] [--seed S] [--keep] [--low-memory]
 *
 * Good files are copies of the fixtures that convert on their own (all of
 * them today; a fixture that stopped converting would drop out of the good
 * set rather than count as a failure here — the gold tests catch that). Corrupt files are seeded: truncated docx/pdf, random bytes under a
 * plan's name, empty files, and a zip of something else named .docx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { fixtureFiles, rng } from './fuzz.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

function args() {
  const a = process.argv.slice(2);
  const o = { files: 2000, corrupt: 0.05, jobs: null, seed: 7, keep: false, lowMemory: false };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--files') o.files = Math.max(1, Number(a[++i]));
    else if (a[i] === '--corrupt') o.corrupt = Math.min(1, Math.max(0, Number(a[++i])));
    else if (a[i] === '--jobs') o.jobs = Math.max(1, Number(a[++i]));
    else if (a[i] === '--seed') o.seed = Number(a[++i]);
    else if (a[i] === '--keep') o.keep = true;
    else if (a[i] === '--low-memory') o.lowMemory = true;
    else {
      console.error(`archive: unknown argument ${a[i]}\nusage: node scripts/archive.js [--files N] [--corrupt 0.05] [--jobs N] [--seed S] [--keep] [--low-memory]`);
      process.exit(2);
    }
  }
  return o;
}

/** Damage that no reader can recover from; the kind cycles so every kind appears. */
function corruptBytes(src, k, r) {
  let kind = k % 4;
  // A cut text or web page is still a (shorter) readable page; only binary formats are cut.
  const binary = src[0] === 0x25 /* %PDF */ || (src[0] === 0x50 && src[1] === 0x4b);
  if (kind === 0 && !binary) kind = 1;
  if (kind === 0) return [src.subarray(0, Math.max(16, Math.floor(src.length * (0.1 + 0.3 * r())))), 'truncated'];
  if (kind === 1) {
    const b = new Uint8Array(1024 + Math.floor(r() * 64 * 1024));
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
    return [b, 'random bytes'];
  }
  if (kind === 2) return [new Uint8Array(0), 'empty'];
  return [zipSync({ 'notes.txt': strToU8('not a plan') }), 'zip of something else'];
}

async function main() {
  const o = args();
  const { convert } = await import(path.join(ROOT, 'dist/pipeline.js'));
  const sources = [];
  for (const f of fixtureFiles(ROOT)) {
    const bytes = new Uint8Array(readFileSync(f));
    try {
      await convert({ bytes, path: f });
      sources.push({ file: f, bytes });
    } catch {
      /* not convertible on its own: not a "good" file */
    }
  }
  const r = rng(o.seed);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gov-plan-archive-'));
  const input = path.join(tmp, 'archive');
  const out = path.join(tmp, 'out');
  const expected = new Map(); // rel path -> 'good' | damage
  const nCorrupt = Math.round(o.files * o.corrupt);
  const corruptAt = new Set();
  while (corruptAt.size < nCorrupt) corruptAt.add(Math.floor(r() * o.files));
  let k = 0;
  const byFormat = {};
  for (let i = 0; i < o.files; i++) {
    const src = sources[i % sources.length];
    // Offices and years as folders, the way archives are kept.
    const rel = path.join(`office-${i % 37}`, `${2015 + (i % 11)}`, `${i}-${path.basename(src.file)}`);
    let bytes = src.bytes;
    let what = 'good';
    if (corruptAt.has(i)) [bytes, what] = corruptBytes(src.bytes, k++, r);
    await fs.mkdir(path.dirname(path.join(input, rel)), { recursive: true });
    await fs.writeFile(path.join(input, rel), bytes);
    expected.set(rel.split(path.sep).join('/'), what);
    const ext = path.extname(src.file).slice(1);
    byFormat[ext] = (byFormat[ext] ?? 0) + 1;
  }
  console.log(`archive: ${o.files} files (${Object.entries(byFormat).map(([e, n]) => `${n} .${e}`).join(', ')}), ${nCorrupt} corrupt, from ${sources.length} fixtures`);

  const bin = path.join(ROOT, 'bin/gov-plan.js');
  const cli = ['batch', input, '-o', out, '-f', 'json', '--quiet', ...(o.jobs ? ['--jobs', String(o.jobs)] : []), ...(o.lowMemory ? ['--low-memory'] : [])];
  const gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
  const t0 = performance.now();
  const run = gnuTime
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, bin, ...cli], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(process.execPath, [bin, ...cli], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wallS = (performance.now() - t0) / 1000;
  const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
  let rssMb = report.peakRssMb;
  let cpu = null;
  if (gnuTime) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
    if (m) rssMb = Math.round(Number(m[1]) / 1024);
    const u = /User time \(seconds\): ([\d.]+)/.exec(run.stderr);
    const s = /System time \(seconds\): ([\d.]+)/.exec(run.stderr);
    if (u && s) cpu = Number(u[1]) + Number(s[1]);
  }

  const problems = [];
  const seen = new Set();
  for (const e of report.files) {
    seen.add(e.path);
    const want = expected.get(e.path);
    if (want === undefined) problems.push(`${e.path}: in the report but not in the archive`);
    else if (want === 'good') {
      if (e.status !== 'ok' && e.status !== 'warnings') problems.push(`${e.path}: good file ${e.status}: ${e.reason}`);
      else if (!e.output || !existsSync(path.join(out, e.output))) problems.push(`${e.path}: no output written`);
    } else if (e.status !== 'failed' || !e.reason) {
      problems.push(`${e.path}: corrupt (${want}) but ${e.status}`);
    }
  }
  for (const rel of expected.keys()) if (!seen.has(rel)) problems.push(`${rel}: missing from report.json`);
  const stderrLines = run.stderr.split('\n').filter((l) => l.startsWith('gov-plan: ') && !l.includes('converted'));
  const t = report.totals;
  console.log(`exit code ${run.status}; report: ok ${t.ok}, warnings ${t.warnings}, failed ${t.failed}; ${t.tasks} tasks, ${t.pages} pdf pages; ${stderrLines.length} error lines on stderr`);
  console.log(
    `time ${wallS.toFixed(1)} s (whole command) = ${(o.files / wallS).toFixed(0)} files/s; peak RSS ${rssMb} MB${gnuTime ? ' (GNU time)' : ' (report)'}` +
      (cpu !== null ? `; CPU ${cpu.toFixed(1)} s = ${(cpu / wallS).toFixed(2)} cores busy of ${os.availableParallelism?.() ?? os.cpus().length}` : ''),
  );
  if (problems.length) {
    console.log(`PROBLEMS (${problems.length}):`);
    for (const p of problems.slice(0, 30)) console.log(`  ${p}`);
    process.exitCode = 1;
  } else {
    console.log('check: every good file converted with its output written; every corrupt file failed with a reason; nothing missing');
  }
  if (o.keep) console.log(`kept: ${tmp}`);
  else await fs.rm(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(`archive: ${e?.stack ?? e}`);
  process.exit(1);
});

#!/usr/bin/env node
/**
 * npm run fuzz — seeded random mutations of the fixtures fed to convert().
 *
 *   node scripts/fuzz.js [--count N] [--seed S] [--case I] [--timeout ms] [--jobs N] [--save dir]
 *
 * Only two outcomes are allowed: a clean PlanDocument, or an InputError
 * (a user-facing "cannot read this file" message). Any other exception, a
 * crash of the worker or a hang past --timeout is a failure, printed with
 * the seed, case number, source fixture and mutation; the mutated bytes are
 * saved so `--seed S --case I` or the saved file reproduces it.
 *
 * The mutation functions are exported for tests/fuzz.test.ts.
 */
import { isMainThread } from 'node:worker_threads';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

/** mulberry32 */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seed of case `i` of a run with seed `seed` (so one case can be replayed alone). */
export function caseSeed(seed, i) {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (i + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export function fixtureFiles(root = ROOT) {
  const out = [];
  const corpus = path.join(root, 'fixtures/corpus');
  for (const d of readdirSync(corpus).sort()) {
    for (const f of readdirSync(path.join(corpus, d)).sort()) if (!f.endsWith('.gold.json')) out.push(path.join(corpus, d, f));
  }
  const seeds = path.join(root, 'fixtures/seeds');
  for (const f of readdirSync(seeds).sort()) if (f.endsWith('.txt')) out.push(path.join(seeds, f));
  return out;
}

const int = (r, n) => Math.floor(r() * n);

function findAll(bytes, sig) {
  const at = [];
  for (let i = 0; i + sig.length <= bytes.length; i++) {
    let ok = true;
    for (let j = 0; j < sig.length; j++) if (bytes[i + j] !== sig[j]) { ok = false; break; }
    if (ok) at.push(i);
  }
  return at;
}

const LOCAL = [0x50, 0x4b, 0x03, 0x04];
const CENTRAL = [0x50, 0x4b, 0x01, 0x02];

/** Mutations: each takes (bytes copy, r) and returns [bytes, description]. */
const MUTATIONS = {
  flip(b, r) {
    const k = 1 + int(r, 16);
    const at = [];
    for (let i = 0; i < k && b.length; i++) {
      const p = int(r, b.length);
      b[p] ^= 1 << int(r, 8);
      at.push(p);
    }
    return [b, `flip ${k} bits at ${at.slice(0, 6).join(',')}${at.length > 6 ? ',…' : ''}`];
  },
  truncate(b, r) {
    const n = int(r, b.length);
    return [b.subarray(0, n), `truncate to ${n} of ${b.length} bytes`];
  },
  junk(b, r) {
    const p = int(r, b.length + 1);
    const n = 1 + int(r, 256);
    const j = new Uint8Array(n).map(() => int(r, 256));
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, p), 0);
    out.set(j, p);
    out.set(b.subarray(p), p + n);
    return [out, `insert ${n} random bytes at ${p}`];
  },
  zero(b, r) {
    const p = int(r, b.length);
    const n = Math.min(b.length - p, 1 + int(r, 4096));
    b.fill(0, p, p + n);
    return [b, `zero ${n} bytes at ${p}`];
  },
  repeat(b, r) {
    const p = int(r, b.length);
    const n = Math.min(b.length - p, 1 + int(r, 2048));
    const times = 1 + int(r, 8);
    const chunk = b.subarray(p, p + n);
    const out = new Uint8Array(b.length + n * times);
    out.set(b.subarray(0, p + n), 0);
    for (let t = 1; t <= times; t++) out.set(chunk, p + n * t);
    out.set(b.subarray(p + n), p + n * (times + 1));
    return [out, `repeat ${n} bytes at ${p} ×${times}`];
  },
  /** Corrupt one zip entry: its header fields or its compressed data. */
  zipEntry(b, r) {
    const locals = findAll(b, LOCAL);
    const centrals = findAll(b, CENTRAL);
    if (!locals.length) return MUTATIONS.flip(b, r);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const which = int(r, 5);
    if (which === 0 && centrals.length) {
      const c = centrals[int(r, centrals.length)];
      const field = [10, 20, 24, 28, 42][int(r, 5)]; // method, csize, size, name length, local offset
      const v = [0, 1, 0xffff, 0xffffffff, int(r, 0x7fffffff)][int(r, 5)];
      if (field === 10 || field === 28) dv.setUint16(c + field, v & 0xffff, true);
      else dv.setUint32(c + field, v >>> 0, true);
      return [b, `central directory entry at ${c}: field +${field} := ${v}`];
    }
    const l = locals[int(r, locals.length)];
    if (which === 1) {
      dv.setUint16(l + 6, dv.getUint16(l + 6, true) | 1, true);
      return [b, `local entry at ${l}: set the encrypted flag`];
    }
    const nameLen = dv.getUint16(l + 26, true);
    const extraLen = dv.getUint16(l + 28, true);
    const start = l + 30 + nameLen + extraLen;
    const csize = Math.max(1, dv.getUint32(l + 18, true));
    const end = Math.min(b.length, start + csize);
    if (start >= end) return MUTATIONS.flip(b, r);
    const n = 1 + int(r, 32);
    for (let i = 0; i < n; i++) b[start + int(r, end - start)] = int(r, 256);
    return [b, `local entry at ${l}: ${n} random bytes in its compressed data`];
  },
};

/** One mutated input: [bytes, description]. Deterministic in (bytes, seed). */
export function mutate(bytes, seed) {
  const r = rng(seed);
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const names = Object.keys(MUTATIONS).filter((m) => m !== 'zipEntry' || isZip);
  const steps = 1 + (r() < 0.25 ? 1 : 0);
  let b = new Uint8Array(bytes); // copy
  const what = [];
  for (let s = 0; s < steps; s++) {
    // docx: favour entry-level damage, which is what reaches the XML and zip code.
    const name = isZip && r() < 0.5 ? 'zipEntry' : names[int(r, names.length)];
    const [out, desc] = MUTATIONS[name](b, r);
    b = out;
    what.push(desc);
  }
  return [b, what.join('; ')];
}

/** One case → 'ok' | 'input-error: …' | throws for anything else. */
export async function runCase(convert, bytes, label) {
  try {
    await convert({ bytes, path: label });
    return 'ok';
  } catch (err) {
    if (err && err.name === 'InputError') return `input-error: ${err.message}`;
    throw err;
  }
}

// ---------------------------------------------------------------- worker entry
let convertP = null;
/** Late rejections nobody awaited: attributed to the cases this worker ran recently. */
const recent = [];
const strays = [];
if (!isMainThread) {
  process.on('unhandledRejection', (reason) => {
    // A second listener is the PDF reader collecting pdf.js's own strays for the file it is reading
    // (it reports them as damage); only rejections nobody collects count here.
    if (process.listenerCount('unhandledRejection') > 1) return;
    strays.push({ error: `unhandled rejection ${reason?.name ?? 'Error'}: ${reason?.message ?? reason}`, stack: String(reason?.stack ?? ''), recent: [...recent] });
  });
}
export default async function fuzzTask({ file, seed, i }) {
  recent.push(`case ${i} (${path.basename(file)})`);
  if (recent.length > 4) recent.shift();
  const res = await fuzzTaskInner({ file, seed });
  await new Promise((r) => setTimeout(r, 0));
  if (strays.length && res.outcome !== 'bug') {
    const s = strays.splice(0);
    return { ...res, outcome: 'bug', error: `${s[0].error} — from this case or one of the previous ones in this worker: ${s[0].recent.join(', ')}`, stack: s[0].stack };
  }
  return res;
}

async function fuzzTaskInner({ file, seed }) {
  convertP ??= import(path.join(ROOT, 'dist/pipeline.js')).then((m) => m.convert);
  const convert = await convertP;
  const [bytes, desc] = mutate(new Uint8Array(readFileSync(file)), seed);
  try {
    return { desc, outcome: await runCase(convert, bytes, path.basename(file)) };
  } catch (err) {
    return { desc, outcome: 'bug', error: `${err?.name ?? 'Error'}: ${err?.message ?? err}`, stack: String(err?.stack ?? '') };
  }
}

// ---------------------------------------------------------------- main
async function main() {
  const a = process.argv.slice(2);
  const o = { count: 2000, seed: Date.now() % 1_000_000, only: null, timeout: 20_000, jobs: os.availableParallelism?.() ?? os.cpus().length, save: path.join(os.tmpdir(), 'gov-plan-fuzz-failures') };
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === '--count') o.count = Number(a[++i]);
    else if (k === '--seed') o.seed = Number(a[++i]);
    else if (k === '--case') o.only = Number(a[++i]);
    else if (k === '--timeout') o.timeout = Number(a[++i]);
    else if (k === '--jobs') o.jobs = Number(a[++i]);
    else if (k === '--save') o.save = a[++i];
    else {
      console.error(`fuzz: unknown argument ${k}\nusage: node scripts/fuzz.js [--count N] [--seed S] [--case I] [--timeout ms] [--jobs N] [--save dir]`);
      process.exit(2);
    }
  }
  const { Piscina } = await import('piscina');
  const files = fixtureFiles();
  const pool = new Piscina({ filename: fileURLToPath(import.meta.url), maxThreads: o.jobs, minThreads: o.jobs, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  const cases = o.only !== null ? [o.only] : Array.from({ length: o.count }, (_, i) => i);
  console.log(`gov-plan fuzz: ${cases.length} cases, seed ${o.seed}, ${files.length} fixtures, ${o.jobs} threads, timeout ${o.timeout} ms`);
  const tally = { ok: 0, inputError: 0, bug: 0, hang: 0, crash: 0 };
  const failures = [];
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < cases.length) {
      const i = cases[next++];
      const cs = caseSeed(o.seed, i);
      const file = files[cs % files.length];
      const ac = new AbortController();
      let hung = false;
      const timer = setTimeout(() => { hung = true; ac.abort(); }, o.timeout);
      let res;
      try {
        res = await pool.run({ file, seed: cs, i }, { signal: ac.signal });
      } catch (err) {
        res = { desc: mutate(new Uint8Array(readFileSync(file)), cs)[1], outcome: hung ? 'hang' : 'crash', error: hung ? `no result after ${o.timeout} ms` : String(err?.message ?? err) };
      } finally {
        clearTimeout(timer);
      }
      if (res.outcome === 'ok') tally.ok++;
      else if (res.outcome.startsWith('input-error')) tally.inputError++;
      else {
        tally[res.outcome]++;
        const fail = { case: i, seed: o.seed, caseSeed: cs, file: path.relative(ROOT, file), mutation: res.desc, outcome: res.outcome, error: res.error };
        failures.push(fail);
        await fs.mkdir(o.save, { recursive: true });
        const saved = path.join(o.save, `seed${o.seed}-case${i}-${path.basename(file)}`);
        await fs.writeFile(saved, mutate(new Uint8Array(readFileSync(file)), cs)[0]);
        console.log(`FAIL ${res.outcome}: --seed ${o.seed} --case ${i}  ${fail.file}  [${res.desc}]\n  ${res.error}\n  saved: ${saved}${res.stack ? `\n${res.stack.split('\n').slice(1, 6).join('\n')}` : ''}`);
      }
      done++;
      if (done % 200 === 0) console.log(`  … ${done}/${cases.length}`);
    }
  };
  await Promise.all(Array.from({ length: o.jobs }, lane));
  await pool.destroy();
  const secs = (performance.now() - t0) / 1000;
  console.log(`\n${cases.length} cases in ${secs.toFixed(1)} s: clean ${tally.ok}, InputError ${tally.inputError}, other exception ${tally.bug}, hang ${tally.hang}, worker crash ${tally.crash}`);
  process.exitCode = failures.length ? 1 : 0;
}

if (isMainThread && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`fuzz: ${e?.stack ?? e}`);
    process.exit(1);
  });
}

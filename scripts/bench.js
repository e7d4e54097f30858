#!/usr/bin/env node
/**
 * npm run bench — throughput, memory, and cost relative to the bare reading
 * each format cannot avoid, all measured in one run on the same files.
 *
 *   node scripts/bench.js [--copies N] [--jobs N] [--keep] [--reps N] [--formats docx,pdf,html,txt]
 *
 * 1. Builds a temp folder with N (default 100: an archive, not a handful) copies of fixtures/corpus/** and
 *    fixtures/seeds/*.txt (gold files excluded).
 * 2. Runs `batch` (in-process API over dist/, same worker pool as the CLI) on
 *    the mixed folder: files/s and peak RSS (parent + worker threads: they
 *    share one process, so process.resourceUsage().maxRSS covers both).
 * 3. Per format: batch over that format's files only → files/s, pages/s; then
 *    the bare reading over the same files with the same number of threads:
 *      docx  fflate unzip + htmlparser2 xmlMode parse of word/document.xml
 *      pdf   pdf.js getTextContent + getOperatorList of every page (same loading options as the reader)
 *      html  cheerio.load
 *      txt   read + decode
 *    ratio = gov-plan wall time / bare wall time, both from a cold pool
 *    (thread start-up and module loading included on both sides).
 * 4. Per corpus docx: full convert() vs unzip+XML parse vs mammoth, single thread, median of --reps,
 *    in a child node with default V8 flags (as `gov-plan parse` runs; `--docx-table` runs it alone).
 *
 * `npm run bench` starts node with the V8 flags `gov-plan batch` restarts
 * itself with (bin/gov-plan.js: --single-threaded --interrupt-budget=250000):
 * both the batches and the bare readings run under them.
 *
 * When this file is loaded by a worker thread it is the bare-reading task.
 */
import { spawnSync } from 'node:child_process';
import { isMainThread } from 'node:worker_threads';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- bare reading

function decodeText(bytes) {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The unavoidable first half of any docx reading: inflate word/document.xml and decode it. */
async function documentXml(bytes) {
  const { unzipSync } = await import('fflate');
  const files = unzipSync(bytes, { filter: (f) => f.name === 'word/document.xml' });
  return new TextDecoder().decode(files['word/document.xml']);
}

export async function bareDocx(bytes) {
  const { Parser } = await import('htmlparser2');
  const xml = await documentXml(bytes);
  let n = 0;
  const p = new Parser({ onopentag() { n++; }, ontext() {}, onclosetag() {} }, { xmlMode: true, decodeEntities: true });
  p.write(xml);
  p.end();
  return n;
}

/** document.xml inflated and prepared the way the reader does it (its zip directory reader, Node's zlib, its part decoding). */
async function documentXmlNative(bytes) {
  const { ZipArchive } = await import('../dist/readers/docx-zip.js');
  const { decodeXml } = await import('../dist/readers/docx-xml.js');
  const zip = new ZipArchive(bytes);
  return decodeXml(zip.read(zip.find('word/document.xml')));
}

/**
 * What the docx reader cannot avoid with its own primitives: native inflate, its XML tokenizer over the
 * part's bytes (text decoded, no attribute parsed), no handler work.
 */
export async function bareDocxOwn(bytes) {
  const { parseXml } = await import('../dist/readers/docx-xml.js');
  const part = await documentXmlNative(bytes);
  let n = 0;
  parseXml(part, () => ({ open() { n++; }, close() {}, text() {} }), new Set());
  return n;
}

export async function barePdf(bytes) {
  // Loaded and opened exactly as the reader does (same polyfill clean-up, same options).
  const { pdfLoadOptions, loadPdfJs } = await import('../dist/readers/pdf.js');
  const lib = await loadPdfJs();
  const task = lib.getDocument(pdfLoadOptions(bytes));
  const doc = await task.promise;
  try {
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      await page.getTextContent();
      await page.getOperatorList();
      page.cleanup();
    }
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}

export async function bareHtml(bytes) {
  const { load } = await import('cheerio');
  const $ = load(decodeText(bytes));
  return $('td').length;
}

/** The parse the html reader really does: htmlparser2 into a domhandler tree (cheerio/slim's tree, without cheerio). */
export async function bareHtmlOwn(bytes) {
  const { parseDocument } = await import('htmlparser2');
  return parseDocument(decodeText(bytes), { decodeEntities: true }).children.length;
}

export async function bareTxt(bytes) {
  return decodeText(bytes).length;
}

const BARE = { docx: bareDocx, pdf: barePdf, html: bareHtml, txt: bareTxt };
/** Where gov-plan's reader uses a faster parser than the issue's baseline names, that parser's bare run too. */
const BARE_OWN = { docx: bareDocxOwn, html: bareHtmlOwn };

/**
 * Worker-thread entry (piscina): read the file and do the bare reading of its
 * format. A worker holds a second file while it reads one, but reads them one
 * after another, as gov-plan's workers do.
 */
const { oneAtATime } = isMainThread ? { oneAtATime: null } : await import('../dist/batch/one-at-a-time.js');
export default isMainThread ? null : oneAtATime(bareRead);

async function bareRead({ file, format, own }) {
  const t0 = performance.now();
  const bytes = new Uint8Array(readFileSync(file));
  await (own ? BARE_OWN : BARE)[format](bytes);
  return performance.now() - t0;
}

/**
 * Write back what the bench itself wrote (thousands of copied inputs, the
 * last batch's outputs) before the next timed run: on this machine's ext4 the
 * write-back otherwise lands inside the run (creating a file costs 0.15 ms on a
 * settled disk and over 1 ms during write-back).
 */
function settleDisk() {
  spawnSync('sync');
}

// ---------------------------------------------------------------- main
function args() {
  const a = process.argv.slice(2);
  const o = { copies: 100, jobs: os.availableParallelism?.() ?? os.cpus().length, keep: false, reps: 51, mixed: false, docxTable: false, formats: ['docx', 'pdf', 'html', 'txt'] };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--copies') o.copies = Math.max(1, Number(a[++i]));
    else if (a[i] === '--jobs') o.jobs = Math.max(1, Number(a[++i]));
    else if (a[i] === '--reps') o.reps = Math.max(1, Number(a[++i]));
    else if (a[i] === '--keep') o.keep = true;
    else if (a[i] === '--formats') o.formats = String(a[++i]).split(',').map((x) => x.trim()).filter(Boolean);
    else if (a[i] === '--mixed') o.mixed = true;
    else if (a[i] === '--docx-table') o.docxTable = true;
    else if (a[i] === '-h' || a[i] === '--help') {
      console.log('usage: node scripts/bench.js [--copies N] [--jobs N] [--reps N] [--formats docx,pdf,html,txt] [--mixed] [--keep] [--docx-table]\n  --formats  only these formats in the per-format batches\n  --mixed  also time one batch over all formats mixed (doubles the run time)\n  --docx-table  only the single-thread table per corpus docx');
      process.exit(0);
    } else {
      console.error(`bench: unknown argument ${a[i]}`);
      process.exit(2);
    }
  }
  return o;
}

async function listSources() {
  const out = [];
  const corpus = path.join(ROOT, 'fixtures/corpus');
  for (const d of (await fs.readdir(corpus)).sort()) {
    for (const f of (await fs.readdir(path.join(corpus, d))).sort()) {
      if (!f.endsWith('.gold.json')) out.push(path.join(corpus, d, f));
    }
  }
  const seeds = path.join(ROOT, 'fixtures/seeds');
  for (const f of (await fs.readdir(seeds)).sort()) if (f.endsWith('.txt')) out.push(path.join(seeds, f));
  return out;
}

/** Format by bytes, like the pipeline (cheap subset: the fixtures are well-formed). */
function formatOf(file) {
  const head = readFileSync(file).subarray(0, 4096);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'docx';
  const t = head.toString('latin1').toLowerCase();
  if (/<html[\s>]|<body[\s>]|<meta\s|<!doctype html/.test(t)) return 'html';
  return 'txt';
}

async function place(src, dst) {
  await fs.mkdir(path.dirname(dst), { recursive: true });
  await fs.copyFile(src, dst);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (n, d = 1) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));

function table(headers, rows) {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(headers), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}


/** Per corpus docx: convert() vs unzip+XML parse vs mammoth, single thread, node's default flags. */
async function docxTable(o) {
  const { convert } = await import(path.join(ROOT, 'dist', 'pipeline.js'));
  const mammoth = (await import('mammoth')).default;
  const docxFiles = (await listSources()).filter((f) => formatOf(f) === 'docx');
  // Each function is warmed until the JIT has settled, then the three are timed in
  // turn, so a GC pause or a busy neighbour costs each of them alike.
  const drows = [];
  for (const file of docxFiles) {
    const bytes = new Uint8Array(readFileSync(file));
    const fns = {
      full: () => convert({ bytes, path: file }),
      bare: () => bareDocx(bytes),
      own: () => bareDocxOwn(bytes),
    };
    let status = 'ok';
    try {
      await fns.full();
    } catch (e) {
      status = `failed: ${e.message}`;
      delete fns.full;
    }
    for (let i = 0; i < 200; i++) for (const fn of Object.values(fns)) await fn();
    const xs = { full: [], bare: [], own: [] };
    for (let i = 0; i < o.reps; i++) {
      for (const [k, fn] of Object.entries(fns)) {
        const s0 = performance.now();
        await fn();
        xs[k].push(performance.now() - s0);
      }
    }
    const full = fns.full ? median(xs.full) : null;
    const bare = median(xs.bare);
    const bareOwn = median(xs.own);
    const mams = [];
    for (let i = 0; i < 4; i++) {
      const s0 = performance.now();
      await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
      mams.push(performance.now() - s0);
    }
    const mam = median(mams.slice(1));
    drows.push([path.basename(file), fmt(full, 2), fmt(bare, 2), fmt(bareOwn, 2), fmt(mam, 2), full ? fmt(full / bare, 2) + '×' : '-', full ? fmt(full / bareOwn, 2) + '×' : '-', full ? fmt(mam / full, 1) + '×' : '-', status]);
  }
  console.log(`\ndocx, single thread, after 200 warm-up runs, median of ${o.reps} interleaved runs (mammoth: median of 3) (ms):`);
  console.log(table(['file', 'convert()', 'unzip+XML', 'unzip+own', 'mammoth', 'convert/bare', 'convert/own', 'mammoth/convert', 'status'], drows));
  const sum = (i) => drows.reduce((n, r) => n + (Number(r[i]) || 0), 0);
  console.log(`  all corpus docx together: convert() ${fmt(sum(1), 2)} ms, unzip+XML ${fmt(sum(2), 2)} ms (${fmt(sum(1) / sum(2), 2)}×), unzip+own ${fmt(sum(3), 2)} ms (${fmt(sum(1) / sum(3), 2)}×)`);
  console.log('  unzip+XML: fflate + htmlparser2 (the baseline issue #3 names); unzip+own: zlib inflate + gov-plan\'s own XML tokenizer over the part\'s bytes (text decoded, no attribute parsed).');
}

async function main() {
  const o = args();
  if (o.docxTable) return docxTable(o);
  const dist = path.join(ROOT, 'dist');
  const { runBatch } = await import(path.join(dist, 'batch/index.js'));
  const { Piscina } = await import('piscina');
  const mammoth = (await import('mammoth')).default;

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gov-plan-bench-'));
  const sources = await listSources();
  const byFormat = { docx: [], pdf: [], html: [], txt: [] };
  for (const s of sources) byFormat[formatOf(s)].push(s);
  const mixed = path.join(tmp, 'mixed');
  for (let c = 0; c < o.copies; c++) {
    for (const s of sources) {
      const rel = path.relative(ROOT, s);
      await place(s, path.join(mixed, `copy-${c}`, rel));
      await place(s, path.join(tmp, 'by-format', formatOf(s), `copy-${c}`, rel));
    }
  }
  const nFiles = sources.length * o.copies;
  console.log(`gov-plan bench: ${sources.length} fixture files × ${o.copies} copies = ${nFiles} files, ${o.jobs} threads, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`);
  console.log(`  work folder: ${tmp}`);

  // Per format: gov-plan batch vs bare reading, same files, same thread count.
  let t;
  const rows = [];
  let allFiles = 0;
  let allPages = 0;
  let allGovMs = 0;
  const gov = {};
  for (const f of o.formats) {
    const dir = path.join(tmp, 'by-format', f);
    if (!byFormat[f].length) continue;
    settleDisk();
    t = performance.now();
    const res = await runBatch({ input: dir, outDir: path.join(tmp, `out-${f}`), format: 'json', jobs: o.jobs, log: () => {} });
    gov[f] = { dir, res, ms: performance.now() - t };
  }
  // Measured before the bare-reading pool starts (threads share this process's RSS).
  const govRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  for (const [f, { dir, res, ms: govMs }] of Object.entries(gov)) {
    const files = res.report.files.map((e) => path.join(dir, e.path));
    const pages = res.report.totals.pages;
    const busyMs = res.report.files.reduce((n, e) => n + e.ms, 0) / o.jobs;
    allFiles += files.length;
    allPages += pages;
    allGovMs += govMs;
    // Like the batch: a fresh pool of the same size, timed from its creation (thread
    // start-up, module loading and a cold JIT on both sides).
    const timeBare = async (own) => {
      settleDisk();
      const t0 = performance.now();
      // Two files in flight per thread, as the batch does, so neither side waits on the parent between files.
      const pool = new Piscina({ filename: fileURLToPath(import.meta.url), minThreads: o.jobs, maxThreads: o.jobs, concurrentTasksPerWorker: 2 });
      let fails = 0;
      let busy = 0;
      let next = 0;
      await Promise.all(Array.from({ length: 2 * o.jobs }, async () => {
        while (next < files.length) {
          const file = files[next++];
          await pool.run({ file, format: f, own }).then((ms) => { busy += ms; }, () => { fails++; });
        }
      }));
      const ms = performance.now() - t0;
      await pool.destroy();
      return { ms, fails, busyMs: busy / o.jobs };
    };
    const { ms: bareMs, fails: bareFails, busyMs: bareBusyMs } = await timeBare(false);
    const ownMs = f in BARE_OWN ? (await timeBare(true)).ms : null;
    rows.push([
      f,
      files.length,
      res.report.totals.failed,
      fmt(govMs / 1000, 2),
      fmt(files.length / (govMs / 1000)),
      f === 'pdf' ? fmt(pages / (govMs / 1000)) : '-',
      fmt(bareMs / 1000, 2),
      fmt(files.length / (bareMs / 1000)),
      fmt(govMs / bareMs, 2) + '×' + (bareFails ? ` (${bareFails} bare fails)` : ''),
      fmt(busyMs / bareBusyMs, 2) + '×',
      ownMs === null ? '-' : fmt(ownMs / 1000, 2),
      ownMs === null ? '-' : fmt(govMs / ownMs, 2) + '×',
    ]);
  }
  console.log('\nper format (batch over that format only; bare = the reading gov-plan cannot avoid, same files, same threads):');
  console.log(table(['format', 'files', 'failed', 'gov-plan s', 'files/s', 'pages/s', 'bare s', 'bare files/s', 'ratio', 'ratio busy', 'own-parser s', 'ratio own'], rows));
  console.log('  bare: docx = fflate unzip + htmlparser2 xml parse of word/document.xml; pdf = pdf.js getTextContent + getOperatorList;');
  console.log('        html = cheerio.load (its default parse5); txt = read + decode. (The baselines issue #5 names.)');
  console.log('  ratio: batch wall time (incl. pool start-up, writing outputs, combined CSV, report.json) / bare wall time');
  console.log('        (a fresh pool of the same size, start-up included: both sides start cold);');
  console.log('  ratio busy: summed per-file worker time (read + convert + write) over the bare readings\' summed per-file time.');
  console.log('  own-parser: the same bare reading with the primitives gov-plan itself uses (docx: zlib inflate + gov-plan\'s XML tokenizer, attributes unparsed;');
  console.log('        html: htmlparser2 into a domhandler tree, cheerio\'s slim tree without cheerio), and gov-plan\'s wall time over it: the stricter comparison.');
  console.log(`  all formats: ${allFiles} files in ${fmt(allGovMs / 1000, 2)} s = ${fmt(allFiles / (allGovMs / 1000))} files/s, ${allPages} pdf pages; peak RSS of the batches (parent + workers) ${govRssMb} MB`);
  // Optional: one batch over every format mixed, the realistic run.
  if (o.mixed) {
  settleDisk();
  t = performance.now();
  const mixedRes = await runBatch({ input: mixed, outDir: path.join(tmp, 'out-mixed'), format: 'json', jobs: o.jobs, log: () => {} });
  const mixedMs = performance.now() - t;
  const rssAfterBatch = Math.round(process.resourceUsage().maxRSS / 1024);
  const tm = mixedRes.report.totals;
  console.log(
    `\nmixed batch: ${tm.files} files in ${fmt(mixedMs / 1000, 2)} s = ${fmt(tm.files / (mixedMs / 1000))} files/s, ${tm.pages} pdf pages, ` +
      `${tm.tasks} tasks; ok ${tm.ok}, warnings ${tm.warnings}, failed ${tm.failed}; peak RSS (parent + workers) ${rssAfterBatch} MB`,
  );
  const failedByFormat = {};
  for (const e of mixedRes.report.files) if (e.status === 'failed') failedByFormat[e.path] = e.reason;
  const failedList = Object.entries(failedByFormat);
  if (failedList.length) {
    const uniq = new Map();
    for (const [p, r] of failedList) if (!uniq.has(r)) uniq.set(r, p);
    console.log(`  failed (${failedList.length}); distinct reasons:`);
    for (const [r, p] of uniq) console.log(`    ${p}: ${r}`);
  }
  }



  // 3. Per corpus docx, single thread. Run by a child node with V8's default flags,
  // as `gov-plan parse` runs: the batch's later tier-up (--interrupt-budget) would
  // otherwise leave convert() short of its optimised code after the warm-up.
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--docx-table', '--reps', String(o.reps)], { stdio: 'inherit' });
  if (child.status !== 0) console.log(`bench: the single-thread docx table failed (exit ${child.status})`);
  console.log(`\npeak RSS of this process (parent + all worker threads, incl. the bare-reading pool): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);

  if (!o.keep) await fs.rm(tmp, { recursive: true, force: true });
}

if (isMainThread) {
  main().catch((e) => {
    console.error(`bench: ${e?.stack ?? e}`);
    process.exit(1);
  });
}

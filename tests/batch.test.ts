/** Batch mode: names, sharding, include/exclude, combined files, reports, merge-reports. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputNamer, outputPathFor, parseShard, sanitizeRelPath, sanitizeSegment, shardOf } from '../src/batch/index.js';
import { mergeReports } from '../src/batch/merge.js';
import type { BatchReport } from '../src/batch/types.js';
import { walk } from '../src/batch/walk.js';
import { ensureBuilt, runCli } from './helpers/batch-cli.js';
import { SEEDS } from './helpers/batch-fixtures.js';
import { parseCsvStrict } from './helpers/csv.js';
import { CSV_COLUMNS } from '../src/writers/index.js';

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'gov-plan-batch-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('output names', () => {
  it('neutralise .., absolute paths, separators, controls and odd Unicode', () => {
    expect(sanitizeRelPath('../../etc/passwd')).toEqual(['__', '__', 'etc', 'passwd']);
    expect(sanitizeRelPath('/abs/x.pdf')).toEqual(['abs', 'x.pdf']);
    expect(sanitizeRelPath('C:\\Windows\\x.pdf')).toEqual(['C_', 'Windows', 'x.pdf']);
    expect(sanitizeSegment('a\u0000b\u001fc\u202ed\u200be')).toBe('a_b_c_d_e');
    expect(sanitizeSegment('x<y>z:"q|?*')).toBe('x_y_z__q___');
    expect(sanitizeSegment('trailing. ')).toBe('trailing__');
    expect(sanitizeSegment('CON.txt')).toBe('_CON.txt');
    expect(sanitizeSegment('..evil')).toBe('..evil');
    // NFD → NFC
    expect(sanitizeSegment('cafe\u0301')).toBe('caf\u00e9');
    const long = sanitizeSegment(`${'长'.repeat(200)}.pdf`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('always resolve inside the output folder', () => {
    const out = path.join(tmp, 'o');
    for (const rel of ['../x', '../../../../x', '/etc/passwd', 'a/../../b', '..', '.', '', '\\..\\..\\x', 'a/./b/../c']) {
      const p = outputPathFor(out, rel, 'json');
      expect(p.startsWith(path.resolve(out) + path.sep), `${rel} → ${p}`).toBe(true);
    }
  });

  it('are unique, case-insensitively and away from report.json / all.csv', () => {
    const n = new OutputNamer('/o', 'csv', ['report.json', 'all.csv']);
    expect(n.assign('all')).toBe(path.resolve('/o/all~2.csv'));
    expect(n.assign('a:b')).toBe(path.resolve('/o/a_b.csv'));
    expect(n.assign('a_b')).toBe(path.resolve('/o/a_b~2.csv'));
    expect(n.assign('A_B')).toBe(path.resolve('/o/A_B~3.csv'));
  });
});

describe('shards', () => {
  it('partition the inputs deterministically', () => {
    const rels = Array.from({ length: 500 }, (_, i) => `dir${i % 7}/plan-${i}.pdf`);
    const counts = [0, 0, 0, 0];
    for (const r of rels) {
      const s = shardOf(r, 4);
      expect(shardOf(r, 4)).toBe(s);
      counts[s]++;
    }
    expect(counts.reduce((a, b) => a + b)).toBe(500);
    for (const c of counts) expect(c).toBeGreaterThan(80);
  });

  it('parse I/N', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(() => parseShard('4/4')).toThrow();
    expect(() => parseShard('x')).toThrow();
    expect(() => parseShard('0/0')).toThrow();
  });
});

describe('walk', () => {
  it('honours --include/--exclude and --no-recursive', async () => {
    const dir = path.join(tmp, 'walk');
    mkdirSync(path.join(dir, 'sub/deep'), { recursive: true });
    for (const f of ['a.pdf', 'b.txt', 'sub/c.pdf', 'sub/deep/d.docx', 'sub/deep/e.txt']) writeFileSync(path.join(dir, f), 'x');
    const rels = async (o: Parameters<typeof walk>[1]) => (await walk(dir, o)).files.map((f) => f.rel).sort();
    expect(await rels({})).toEqual(['a.pdf', 'b.txt', 'sub/c.pdf', 'sub/deep/d.docx', 'sub/deep/e.txt']);
    expect(await rels({ include: ['*.pdf'] })).toEqual(['a.pdf', 'sub/c.pdf']);
    expect(await rels({ include: ['sub/**'] })).toEqual(['sub/c.pdf', 'sub/deep/d.docx', 'sub/deep/e.txt']);
    expect(await rels({ exclude: ['*.txt', 'sub/deep/**'] })).toEqual(['a.pdf', 'sub/c.pdf']);
    expect(await rels({ recursive: false })).toEqual(['a.pdf', 'b.txt']);
  });
});

/**
 * all.csv is the header, then every file's rows exactly as in its own CSV
 * output, each file's rows together and in order (files in any order).
 */
function combinedMatchesOutputs(out: string, report: BatchReport): boolean {
  const all = parseCsvStrict(readFileSync(path.join(out, 'all.csv'), 'utf8'));
  expect(all[0]).toEqual([...CSV_COLUMNS]);
  const blocks = new Map<string, string[][]>();
  for (const row of all.slice(1)) {
    const rows = blocks.get(row[0]) ?? [];
    if (rows.length && blocks.get(row[0]) !== [...blocks.values()].at(-1)) throw new Error(`rows of ${row[0]} are not together`);
    rows.push(row);
    blocks.set(row[0], rows);
  }
  for (const e of report.files) {
    const own = parseCsvStrict(readFileSync(path.join(out, e.output!), 'utf8')).slice(1);
    expect(blocks.get(e.path) ?? [], e.path).toEqual(own);
    expect(own.length, e.path).toBe(e.tasks);
  }
  expect(blocks.size).toBe(report.files.filter((e) => e.tasks > 0).length);
  return true;
}

function seedFolder(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, 'y2018'), { recursive: true });
  mkdirSync(path.join(dir, 'y2024'), { recursive: true });
  copyFileSync(path.join(SEEDS, 'xinhui-qu-2018-fengong.txt'), path.join(dir, 'y2018/xinhui-qu.txt'));
  copyFileSync(path.join(SEEDS, 'xinhui-kaifaqu-2018-narrative.txt'), path.join(dir, 'y2018/kaifaqu.txt'));
  copyFileSync(path.join(SEEDS, 'shanwei-gaoxinqu-2024.txt'), path.join(dir, 'y2024/shanwei.txt'));
  copyFileSync(path.join(SEEDS, 'nanchang-jingkaiqu-2024-webpage.txt'), path.join(dir, 'y2024/nanchang.txt'));
  copyFileSync(path.join(SEEDS, 'jiangmen-jianguan-2022-fengong.txt'), path.join(dir, 'jiangmen.txt'));
  return dir;
}

describe('batch CLI', () => {
  it('writes one output per input, all.csv with the file in each row, report.json; exit 0', () => {
    const input = seedFolder('cli-in');
    const out = path.join(tmp, 'cli-out');
    const r = runCli(['batch', input, '-o', out, '-f', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/gov-plan batch: 5 files/);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as BatchReport;
    expect(report.totals.files).toBe(5);
    expect(report.totals.failed).toBe(0);
    for (const e of report.files) {
      expect(e.output).toBe(`${e.path}.csv`);
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(path.join(out, e.output!), 'utf8').startsWith('\uFEFFfile,id,')).toBe(true);
    }
    const all = readFileSync(path.join(out, 'all.csv'), 'utf8');
    expect(all.startsWith('\uFEFFfile,id,seq,path,content,units,lead,responsible,cooperating,deadline,page\r\n')).toBe(true);
    expect(combinedMatchesOutputs(out, report)).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('all.csv holds each file\'s rows whole and in order, with two workers appending at once', () => {
    const input = path.join(tmp, 'many-in');
    for (let c = 0; c < 12; c++) {
      mkdirSync(path.join(input, `c${c}`), { recursive: true });
      for (const f of readdirSync(SEEDS).filter((n) => n.endsWith('.txt'))) copyFileSync(path.join(SEEDS, f), path.join(input, `c${c}`, f));
    }
    const out = path.join(tmp, 'many-out');
    const r = runCli(['batch', input, '-o', out, '-f', 'csv', '-q', '--jobs', '2']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as BatchReport;
    expect(report.totals.files).toBe(60);
    expect(combinedMatchesOutputs(out, report)).toBe(true);
  });

  it('--low-memory converts the same (smaller worker young generation)', () => {
    const input = seedFolder('lowmem-in');
    const out = path.join(tmp, 'lowmem-out');
    const r = runCli(['batch', input, '-o', out, '-q', '--low-memory']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as BatchReport;
    expect(report.totals.files).toBe(5);
    expect(report.totals.failed).toBe(0);
  });

  it('-f jsonl writes all.jsonl with one document per line', () => {
    const input = seedFolder('jsonl-in');
    const out = path.join(tmp, 'jsonl-out');
    const r = runCli(['batch', input, '-o', out, '-f', 'jsonl', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = readFileSync(path.join(out, 'all.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    const paths = lines.map((l) => JSON.parse(l).source.path).sort();
    expect(paths).toEqual(['jiangmen.txt', 'y2018/kaifaqu.txt', 'y2018/xinhui-qu.txt', 'y2024/nanchang.txt', 'y2024/shanwei.txt']);
  });

  it('--resume re-converts only changed files', () => {
    const input = seedFolder('resume-in');
    const out = path.join(tmp, 'resume-out');
    expect(runCli(['batch', input, '-o', out, '-q']).code).toBe(0);
    writeFileSync(path.join(input, 'jiangmen.txt'), readFileSync(path.join(SEEDS, 'shanwei-gaoxinqu-2024.txt')));
    writeFileSync(path.join(input, 'new.txt'), readFileSync(path.join(SEEDS, 'shanwei-gaoxinqu-2024.txt')));
    expect(runCli(['batch', input, '-o', out, '-q', '--resume']).code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as BatchReport;
    const fresh = report.files.filter((e) => !e.resumed).map((e) => e.path).sort();
    expect(fresh).toEqual(['jiangmen.txt', 'new.txt']);
    expect(report.totals.resumed).toBe(4);
    // The combined CSV still covers every file.
    const all = readFileSync(path.join(out, 'all.csv'), 'utf8');
    const tasks = report.files.reduce((n, e) => n + e.tasks, 0);
    if (tasks > 0) for (const e of report.files) if (e.tasks > 0) expect(all).toContain(`${e.path},`);
  });

  it('--shard splits the folder and merge-reports puts it back together', () => {
    const input = seedFolder('shard-in');
    const out = path.join(tmp, 'shard-out');
    const codes = [0, 1, 2].map((i) => runCli(['batch', input, '-o', out, '-q', '--shard', `${i}/3`]).code);
    expect(codes).toEqual([0, 0, 0]);
    const reports = [0, 1, 2].map((i) => path.join(out, `report.shard-${i}-of-3.json`));
    const parts = reports.map((p) => (JSON.parse(readFileSync(p, 'utf8')) as BatchReport).files.map((e) => e.path));
    expect(parts.flat().sort()).toHaveLength(5);
    expect(new Set(parts.flat()).size).toBe(5);
    const merged = path.join(out, 'merged.json');
    const r = runCli(['merge-reports', ...reports, '-o', merged, '--combined', path.join(out, 'all.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const all = readFileSync(path.join(out, 'all.csv'), 'utf8');
    expect(all.startsWith('\uFEFFfile,id,')).toBe(true);
    expect(all.split('file,id,seq,')).toHaveLength(2);
    const shardRows = [0, 1, 2].map((i) => readFileSync(path.join(out, `all.shard-${i}-of-3.csv`), 'utf8').replace(/^\uFEFF[^\n]*\n/, '')).join('');
    expect(all.replace(/^\uFEFF[^\n]*\n/, '')).toBe(shardRows);
    const m = JSON.parse(readFileSync(merged, 'utf8')) as BatchReport;
    expect(m.totals.files).toBe(5);
    expect(m.merged?.missingShards).toEqual([]);
    const r2 = runCli(['merge-reports', reports[0], reports[2], '-o', '-']);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toMatch(/shards missing from the set: 1/);
    expect(JSON.parse(r2.stdout).merged.missingShards).toEqual([1]);
  });

  it('merge-reports refuses files that are not reports (exit 2)', () => {
    const bogus = path.join(tmp, 'bogus.json');
    writeFileSync(bogus, '{"a":1}');
    const r = runCli(['merge-reports', bogus, '-o', path.join(tmp, 'm.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus\.json: not a gov-plan batch report/);
  });

  it('mergeReports keeps the latest entry of a file present twice', () => {
    const base = (finishedAt: string, status: 'ok' | 'failed'): BatchReport => ({
      tool: 'gov-plan', reportVersion: 1, input: '/in', output: '/out', format: 'json', combined: 'all.csv', shard: null,
      startedAt: finishedAt, finishedAt, ms: 1, threads: 1, peakRssMb: 1,
      totals: { files: 1, ok: 0, warnings: 0, failed: 0, skipped: 0, resumed: 0, tasks: 0, pages: 0 },
      files: [{ path: 'a.pdf', status, reason: null, code: null, format: 'pdf', tasks: 0, warnings: 0, pages: 1, ms: 1, sha256: null, bytes: 1, mtimeMs: 1, output: null }],
    });
    const m = mergeReports([{ name: 'new', report: base('2026-01-02', 'ok') }, { name: 'old', report: base('2026-01-01', 'failed') }]);
    expect(m.files).toHaveLength(1);
    expect(m.files[0].status).toBe('ok');
    expect(m.merged?.duplicates).toEqual(['a.pdf']);
  });
});

describe('files queued in a worker', () => {
  /**
   * One worker (so every later file is queued behind the first) running the
   * test worker that misbehaves on files named "hang" or "oom"; each name is a
   * copy of one seed plan. Returns each file's "status code" and the log lines.
   */
  async function runMisbehaving(name: string, fileNames: string[], opts: { timeoutMs?: number; workerHeapMb?: number }) {
    const { runBatch } = await import('../src/batch/run.js');
    const dir = path.join(tmp, name);
    mkdirSync(dir, { recursive: true });
    for (const n of fileNames) copyFileSync(path.join(SEEDS, 'jiangmen-jianguan-2022-fengong.txt'), path.join(dir, n));
    const lines: string[] = [];
    const res = await runBatch({
      input: dir, outDir: path.join(tmp, `${name}-out`), format: 'json', jobs: 1, ...opts,
      workerFile: path.resolve('tests/helpers/misbehaving-worker.mjs'), log: (l) => lines.push(l),
    });
    const status = Object.fromEntries(res.report.files.map((e) => [e.path, `${e.status}${e.code ? ` ${e.code}` : ''}`]));
    return { res, status, lines };
  }

  it('a file waiting behind one that times out is run again on a fresh worker, not failed', async () => {
    // "b-ok" is handed to the worker while "a-hang" blocks it.
    const { res, status, lines } = await runMisbehaving('queued', ['a-hang.txt', 'b-ok.txt', 'c-hang.txt', 'd-ok.txt'], { timeoutMs: 3000 });
    expect(status).toEqual({ 'a-hang.txt': 'failed TIMEOUT', 'b-ok.txt': 'ok', 'c-hang.txt': 'failed TIMEOUT', 'd-ok.txt': 'ok' });
    expect(res.exitCode).toBe(1);
    expect(lines.filter((l) => l.includes('timed out'))).toHaveLength(2);
  }, 60_000);

  it('a worker that runs out of memory fails its file only; the file queued behind it converts', async () => {
    const { status, lines } = await runMisbehaving('oom', ['a-oom.txt', 'b-ok.txt'], { workerHeapMb: 64 });
    expect(status).toEqual({ 'a-oom.txt': 'failed OUT_OF_MEMORY', 'b-ok.txt': 'ok' });
    expect(lines.join('\n')).toMatch(/a-oom\.txt: ran out of memory \(worker heap limit 64 MB\)/);
  }, 60_000);
});

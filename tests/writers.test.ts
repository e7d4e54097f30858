import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { load, loadAll } from 'js-yaml';
import { parseCsvStrict } from './helpers/csv.js';
import { PlanDocument } from '../src/model/schema.js';
import { convert } from '../src/pipeline.js';
import {
  CSV_COLUMNS,
  createStreamFormatter,
  csvRows,
  formatCsvRows,
  formatPlan,
  type OutputFormat,
} from '../src/writers/index.js';

function makeDoc(path = 'plan.txt'): PlanDocument {
  return PlanDocument.parse({
    schemaVersion: '1',
    source: { path, format: 'txt', sha256: 'a'.repeat(64), bytes: 1234, pages: null, encoding: 'UTF-8' },
    document: {
      title: '新会区2018年政务公开工作要点分工方案',
      docNumber: '新开管委〔2018〕52号',
      issuer: '广东江门新会经济开发区管理委员会',
      issuedDate: '2018-09-26',
      year: 2018,
      disclosure: '主动公开',
    },
    tasks: [
      {
        id: 'T001',
        seq: 1,
        path: ['一、着力加强公开解读回应工作', '围绕建设法治政府全面推进政务公开'],
        content: '把公开透明作为政府工作的基本要求，坚持以公开为常态、不公开为例外。',
        units: {
          raw: '区编办牵头，各镇（街、区），区政府各部门、各直属机构负责',
          lead: ['区编办'],
          responsible: ['各镇（街、区）', '区政府各部门', '各直属机构'],
          cooperating: [],
        },
        deadline: '持续推进，及时更新',
        provenance: { page: 2, table: 1, row: 3, inherited: ['path', 'units'] },
      },
      {
        id: 'T002',
        seq: null,
        path: [],
        content: '含"引号"、逗号,和\n换行\r\n以及 CR\r的内容',
        units: { raw: null, lead: [], responsible: ['区政务服务数据管理局'], cooperating: ['区财政局', '区审计局'] },
        deadline: null,
        provenance: { page: null, table: null, row: null, inherited: [] },
      },
    ],
    warnings: [{ code: 'SEQ_GAP', message: '序号 2 missing', task: 'T002' }],
  });
}

const BOM = '\uFEFF';

describe('csv writer', () => {
  it('has exactly the SPEC §3 columns', () => {
    expect([...CSV_COLUMNS]).toEqual([
      'file', 'id', 'seq', 'path', 'content', 'units', 'lead', 'responsible', 'cooperating', 'deadline', 'page',
    ]);
  });

  it('starts with a UTF-8 BOM, uses CRLF record delimiters and one header row', () => {
    const out = formatPlan(makeDoc(), 'csv');
    expect(out.startsWith(BOM)).toBe(true);
    expect(out.indexOf(BOM, 1)).toBe(-1);
    expect(out.slice(1).startsWith(CSV_COLUMNS.join(',') + '\r\n')).toBe(true);
    expect(out.endsWith('\r\n')).toBe(true);
    // Bytes as UTF-8: EF BB BF then the header.
    const bytes = Buffer.from(out, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('omits the BOM (and optionally the header) for later files of a stream', () => {
    const out = formatPlan(makeDoc(), 'csv', { csvBom: false });
    expect(out.startsWith(CSV_COLUMNS.join(','))).toBe(true);
    const noHeader = formatPlan(makeDoc(), 'csv', { csvBom: false, csvHeader: false });
    expect(noHeader.startsWith('plan.txt,T001,')).toBe(true);
  });

  it('quotes commas, quotes, CR and LF per RFC 4180 and keeps Chinese intact', () => {
    const doc = makeDoc();
    const out = formatPlan(doc, 'csv');
    expect(out).toContain('"含""引号""、逗号,和\n换行\r\n以及 CR\r的内容"');
    const parsed = parseCsvStrict(out) as string[][];
    expect(parsed[0]).toEqual([...CSV_COLUMNS]);
    expect(parsed.slice(1)).toEqual(csvRows(doc));
    expect(parsed[1][4]).toBe(doc.tasks[0].content);
    expect(parsed[2][4]).toBe(doc.tasks[1].content);
  });

  it('joins lists with ； and maps nulls to empty cells', () => {
    const rows = csvRows(makeDoc());
    const [r1, r2] = rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(r1).toEqual({
      file: 'plan.txt',
      id: 'T001',
      seq: '1',
      path: '一、着力加强公开解读回应工作；围绕建设法治政府全面推进政务公开',
      content: '把公开透明作为政府工作的基本要求，坚持以公开为常态、不公开为例外。',
      units: '区编办牵头，各镇（街、区），区政府各部门、各直属机构负责',
      lead: '区编办',
      responsible: '各镇（街、区）；区政府各部门；各直属机构',
      cooperating: '',
      deadline: '持续推进，及时更新',
      page: '2',
    });
    expect(r2.seq).toBe('');
    expect(r2.path).toBe('');
    expect(r2.units).toBe('');
    expect(r2.cooperating).toBe('区财政局；区审计局');
    expect(r2.deadline).toBe('');
    expect(r2.page).toBe('');
  });

  it('quotes exactly as csv-stringify does (the oracle): awkward fields and every seed plan', async () => {
    const awkward = ['', ' ', ',', '"', '""', 'a,b', 'say "hi"', 'line\nbreak', 'cr\rhere', 'crlf\r\nend', '；，“”', '\t', ' lead', 'trail ', '=1+2', '\uFEFFbom'];
    const rows: string[][] = [];
    for (let i = 0; i < awkward.length; i++) rows.push(CSV_COLUMNS.map((_, j) => awkward[(i + j) % awkward.length]));
    for (const f of readdirSync('fixtures/seeds').filter((n) => n.endsWith('.txt'))) {
      rows.push(...csvRows(await convert({ bytes: readFileSync(`fixtures/seeds/${f}`), path: `seeds/${f}` })));
    }
    const expected = stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
    expect(formatCsvRows(rows, { bom: false })).toBe(expected);
    expect(formatCsvRows(rows, { bom: true, header: false })).toBe(BOM + expected.slice(expected.indexOf('\r\n') + 2));
  });

  it('a document without tasks gives the header only', () => {
    const doc = { ...makeDoc(), tasks: [], warnings: [] };
    expect(formatPlan(doc, 'csv')).toBe(BOM + CSV_COLUMNS.join(',') + '\r\n');
  });
});

describe('json, yaml, jsonl writers', () => {
  it('json is pretty-printed with 2 spaces and a trailing newline', () => {
    const doc = makeDoc();
    const out = formatPlan(doc, 'json');
    expect(out).toBe(JSON.stringify(doc, null, 2) + '\n');
    expect(PlanDocument.parse(JSON.parse(out))).toEqual(doc);
  });

  it('yaml round-trips through js-yaml load to the same object', () => {
    const doc = makeDoc();
    const out = formatPlan(doc, 'yaml');
    expect(out).not.toContain('&');
    expect(load(out)).toEqual(doc);
    expect(out).toContain('区编办');
  });

  it('jsonl is one compact line per document', () => {
    const doc = makeDoc();
    const out = formatPlan(doc, 'jsonl');
    expect(out.endsWith('\n')).toBe(true);
    expect(out.split('\n')).toHaveLength(2);
    expect(JSON.parse(out)).toEqual(doc);
  });
});

describe('stream formatter (several documents in one output)', () => {
  const docs = [makeDoc('a.txt'), makeDoc('b.txt'), makeDoc('c.txt')];
  const run = (format: OutputFormat, multi: boolean, ds = docs) => {
    const f = createStreamFormatter(format, { multi });
    return ds.map((d) => f.item(d)).join('') + f.end();
  };

  it('json: one document alone, a JSON array for several', () => {
    expect(run('json', false, [docs[0]])).toBe(JSON.stringify(docs[0], null, 2) + '\n');
    expect(run('json', true)).toBe(JSON.stringify(docs, null, 2) + '\n');
    expect(run('json', true, [])).toBe('[]\n');
  });

  it('yaml: a multi-document stream', () => {
    expect(loadAll(run('yaml', true))).toEqual(docs);
    expect(load(run('yaml', false, [docs[0]]))).toEqual(docs[0]);
  });

  it('csv: BOM and header once, then the rows of every document', () => {
    const out = run('csv', true);
    expect(out.split(BOM)).toHaveLength(2);
    const parsed = parseCsvStrict(out) as string[][];
    expect(parsed.filter((r) => r[0] === 'file')).toHaveLength(1);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(['a.txt', 'a.txt', 'b.txt', 'b.txt', 'c.txt', 'c.txt']);
  });

  it('jsonl: one line per document', () => {
    const lines = run('jsonl', true).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(docs);
  });
});

import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readPdf, layoutDocument, type PageData } from '../src/readers/pdf.js';
import type { Run } from '../src/readers/pdf-text.js';
import { a4Page, textRun } from './helpers/pdf-runs.js';
import type { TableBlock, TableCell } from '../src/model/document.js';
import { buildPlan } from '../src/structure/index.js';

// Tables without ruling lines: rows are bands around the 序号 (or numbered
// content) anchors; a vertically centred merged cell's text belongs to the
// first row of the run of rows it is centred on.

const root = path.resolve(__dirname, '..');
const squash = (s: string) => s.replace(/\s+/g, '');
/** Most synthetic runs here: 12 pt text. */
const run = (t: string, x: number, top: number) => textRun(t, x, top);
const tablesOf = (blocks: readonly { kind: string }[]) => blocks.filter((b): b is TableBlock => b.kind === 'table');

/** The cells of the row whose first column holds `seq`, by column. */
function rowOf(ts: readonly TableBlock[], seq: string): { table: TableBlock; cells: TableCell[] } {
  for (const t of ts) {
    const key = t.cells.find((c) => c.col === 0 && squash(c.text) === seq);
    if (key) return { table: t, cells: t.cells.filter((c) => c.row === key.row).sort((a, b) => a.col - b.col) };
  }
  throw new Error(`no row ${seq}`);
}
const textAt = (r: { cells: TableCell[] }, col: number) => squash(r.cells.find((c) => c.col === col)?.text ?? '');

describe('unruled tables: row bands', () => {
  const size = 12;
  const pitch = 17;
  const run = (text: string, x: number, top: number): Run => textRun(text, x, top, size);
  /** Lines of a cell whose text is vertically centred on y. */
  const centred = (lines: string[], x: number, y: number): Run[] =>
    lines.map((t, i) => run(t, x, y - (lines.length * pitch) / 2 + (pitch - size) / 2 + i * pitch));
  // columns: 序号 x=80, 工作任务 x=130, 具体要求 x=220, 责任单位 x=430
  const X = { seq: 80, group: 130, content: 220, units: 430 };
  // rows: [content lines, tallest single-row cell lines]; padding 3pt above and below
  const spec = [3, 4, 4, 2, 2, 2, 2];
  const tops: number[] = [];
  let y = 120;
  for (const n of spec) {
    tops.push(y);
    y += n * pitch + 6;
  }
  const bottoms = spec.map((n, i) => tops[i] + n * pitch + 6);
  const mid = (a: number, b: number) => (tops[a] + bottoms[b]) / 2;
  const content = [3, 2, 4, 2, 2, 2, 2];
  const runs: Run[] = [
    run('序号', X.seq, 100),
    run('工作任务', X.group, 100),
    run('具体要求', X.content, 100),
    run('责任单位', X.units, 100),
  ];
  content.forEach((n, i) => {
    runs.push(run(String(i + 1), X.seq + 6, mid(i, i) - size / 2));
    runs.push(
      ...centred(
        Array.from({ length: n }, (_, k) => `第${i + 1}项任务内容的第${k + 1}行${k === n - 1 ? '。' : '文字'}`),
        X.content,
        mid(i, i),
      ),
    );
  });
  // group cells: rows 1–3 and rows 4–7, centred over their runs of rows
  runs.push(...centred(['加强公开', '解读回应'], X.group, mid(0, 2)));
  runs.push(...centred(['优化服务'], X.group, mid(3, 6)));
  // units: row 1 alone; row 2 alone, taller than its content (it sets the row's height);
  // rows 3–5 merged, centred over the three rows (its text holds only row 4's anchor)
  runs.push(...centred(['办公室负责'], X.units, mid(0, 0)));
  runs.push(...centred(['区委办公室', '牵头，各镇', '（街、区）', '各部门负责'], X.units, mid(1, 1)));
  runs.push(...centred(['区行政服务', '中心牵头，', '各单位负责'], X.units, mid(2, 4)));
  runs.push(...centred(['信息中心负责'], X.units, mid(5, 5)));
  runs.push(...centred(['各镇负责'], X.units, mid(6, 6)));
  const page = a4Page(1, runs);

  it('a merged cell centred over several row bands goes to the first row of its run, blanks below', () => {
    const ts = tablesOf(layoutDocument([page]));
    expect(ts).toHaveLength(1);
    const t = ts[0];
    expect(t.origin).toBe('flattened');
    const rows = ['1', '2', '3', '4', '5', '6', '7'].map((s) => rowOf(ts, s));
    const groupCol = t.cells.find((c) => c.row === 0 && squash(c.text) === '工作任务')!.col;
    const unitsCol = t.cells.find((c) => c.row === 0 && squash(c.text) === '责任单位')!.col;
    expect(rows.map((r) => textAt(r, groupCol))).toEqual(['加强公开解读回应', '', '', '优化服务', '', '', '']);
    expect(rows.map((r) => textAt(r, unitsCol))).toEqual([
      '办公室负责',
      '区委办公室牵头，各镇（街、区）各部门负责',
      '区行政服务中心牵头，各单位负责',
      '',
      '',
      '信息中心负责',
      '各镇负责',
    ]);
  });

  it('on the first page of a table, text above the first anchor is not a cut row', () => {
    // the group cell printed from its first row down (as for a cell cut by the page foot)
    const top = runs.filter((r) => !(r.x0 === X.group && r.top > 110));
    const first = [...top, run('加强公开', X.group, tops[0] + 3), run('解读回应', X.group, tops[0] + 3 + pitch)];
    const ts = tablesOf(layoutDocument([{ ...page, runs: first }]));
    const t = ts[0];
    const groupCol = t.cells.find((c) => c.row === 0 && squash(c.text) === '工作任务')!.col;
    expect(t.cells.find((c) => c.col === groupCol && squash(c.text).includes('加强公开'))?.row).toBe(rowOf(ts, '1').cells[0].row);
  });
});

describe('unruled corpus table (xinhui-qu noborder PDF)', () => {
  const file = path.join(root, 'fixtures', 'corpus', 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.noborder.pdf');
  const doc = readPdf(new Uint8Array(fs.readFileSync(file)));
  const GROUP = 2; // second-level 工作任务 column
  const UNITS = 4; // 牵头及责任单位

  it('merged units and group cells centred between row bands land on the first row they span', async () => {
    const ts = tablesOf((await doc).blocks);
    // units 区行政服务中心… centred over rows 28–30 (its text holds only row 29's number)
    expect(textAt(rowOf(ts, '28'), UNITS)).toMatch(/^区行政服务中心牵头/);
    expect(textAt(rowOf(ts, '29'), UNITS)).toBe('');
    expect(textAt(rowOf(ts, '30'), UNITS)).toBe('');
    // group 提升实体政务大厅服务能力 centred over rows 33–37, the next group starts at 38
    expect(textAt(rowOf(ts, '33'), GROUP)).toBe('提升实体政务大厅服务能力');
    for (const s of ['34', '35', '36', '37']) expect(textAt(rowOf(ts, s), GROUP)).toBe('');
    expect(textAt(rowOf(ts, '38'), GROUP)).toBe('优化审批办事服务');
    // a group cut by the page foot starts at the row its text starts in
    expect(textAt(rowOf(ts, '50'), GROUP)).toBe('');
    expect(textAt(rowOf(ts, '51'), GROUP)).toBe('用好“两微一端”新平台');
    expect(textAt(rowOf(ts, '58'), GROUP)).toBe('贯彻落实政府信息公开条例');
    expect(textAt(rowOf(ts, '58'), UNITS)).toMatch(/^区委区府办公室牵头/);
    expect(textAt(rowOf(ts, '60'), UNITS)).toBe('');
    expect(textAt(rowOf(ts, '61'), UNITS)).toBe('区政府各部门、各直属机构负责');
  });

  it('a units cell lying inside one row band stays with that row', async () => {
    const ts = tablesOf((await doc).blocks);
    // taller than its row's 具体要求 text, centred on its own row
    expect(textAt(rowOf(ts, '27'), UNITS)).toMatch(/^区编办、区法制局/);
    expect(textAt(rowOf(ts, '28'), UNITS)).not.toMatch(/区编办/);
    expect(textAt(rowOf(ts, '38'), UNITS)).toMatch(/^区行政服务中心牵头/);
    expect(textAt(rowOf(ts, '26'), UNITS)).toBe('区编办负责');
  });
});

describe('unruled tables: top-aligned cells', () => {
  const size = 12;
  const pitch = 17;
  const run = (text: string, x: number, top: number): Run => textRun(text, x, top, size);
  // columns: 序号 x=80, 工作任务 x=130 (5 glyphs wide), 具体要求 x=220, 牵头及责任单位 x=430;
  // every cell starts at its row's top; rows 2 and 3 abut (their text lies on one
  // line grid with no wider gap between the rows), the others are a line apart
  const X = { seq: 80, group: 130, content: 220, units: 430 };
  const lineTop = (k: number) => 140 + k * pitch;
  const runs: Run[] = [
    run('序号', X.seq, 100),
    run('工作任务', X.group, 100),
    run('具体要求', X.content, 100),
    run('牵头及责任单', X.units, 100), // the label wraps inside its top-aligned header cell
    run('位', X.units, 100 + pitch),
  ];
  const content = [3, 2, 3, 2];
  let k = 0;
  const rowTop: number[] = [];
  content.forEach((n, i) => {
    rowTop.push(k);
    runs.push(run(String(i + 1), X.seq + 6, lineTop(k)));
    for (let j = 0; j < n; j++) runs.push(run(`第${i + 1}项任务的第${j + 1}行${j === n - 1 ? '。' : '内容'}`, X.content, lineTop(k + j)));
    k += n + (i === 1 ? 0 : 1);
  });
  // group over rows 1–3 (its 7th line lands on row 3's top, but the line before it is full and open)
  const group = ['加强公开解读', '回应工作要求', '不断推进政务', '公开标准规范', '体系建设工作', '落实责任分工', '持续推进。'];
  expect(lineTop(group.length - 1)).toBe(lineTop(rowTop[2]));
  group.forEach((t, j) =>
    runs.push(run(t.slice(0, 5), X.group, lineTop(j))),
  );
  runs.push(run('优化服务。', X.group, lineTop(rowTop[3])));
  // units: rows 1 and 2 abut (no gap), rows 3–4 merged
  runs.push(run('办公室负责', X.units, lineTop(rowTop[0])));
  runs.push(run('区委办牵头，', X.units, lineTop(rowTop[1])), run('各镇负责', X.units, lineTop(rowTop[1] + 1)));
  runs.push(run('信息中心负责', X.units, lineTop(rowTop[2])));
  const page = a4Page(1, runs);

  it('cells belong to the row their text starts in; abutting cells split at row tops, a merged cell runs on', () => {
    const ts = tablesOf(layoutDocument([page]));
    expect(ts).toHaveLength(1);
    const t = ts[0];
    const header = t.cells.filter((c) => c.row === 0).map((c) => squash(c.text));
    expect(header).toContain('牵头及责任单位');
    const rows = ['1', '2', '3', '4'].map((s) => rowOf(ts, s));
    const groupCol = t.cells.find((c) => c.row === 0 && squash(c.text) === '工作任务')!.col;
    const unitsCol = t.cells.find((c) => c.row === 0 && squash(c.text) === '牵头及责任单位')!.col;
    expect(textAt(rows[0], groupCol)).toBe(group.map((g) => g.slice(0, 5)).join(''));
    expect(rows.slice(1).map((r) => textAt(r, groupCol))).toEqual(['', '', '优化服务。']);
    expect(rows.map((r) => textAt(r, unitsCol))).toEqual(['办公室负责', '区委办牵头，各镇负责', '信息中心负责', '']);
    expect(rows.map((r) => textAt(r, 2).slice(0, 4))).toEqual(['第1项任', '第2项任', '第3项任', '第4项任']);
  });
});

describe('unruled tables: header labels wrapped in narrow columns', () => {
  it('finds the header when 序号 and 重点任务 wrap onto a second line in their cells', () => {
    const blocks = layoutDocument([
      a4Page(1, [
        run('序', 80, 100), run('号', 80, 117),
        run('重点', 120, 100), run('任务', 120, 117),
        run('具体措施', 220, 108),
        run('责任单位', 430, 108),
        run('1', 82, 150), run('一、公开', 120, 150), run('做好政府信息公开工作。', 220, 150), run('办公室负责', 430, 150),
        run('2', 82, 180), run('加强政策解读和回应。', 220, 180), run('各科室负责', 430, 180),
      ]),
    ]);
    const t = blocks.find((b): b is TableBlock => b.kind === 'table');
    expect(t).toBeDefined();
    expect(t!.cells.filter((c) => c.row === 0).map((c) => c.text.replace(/\s/g, ''))).toEqual(['序号', '重点任务', '具体措施', '责任单位']);
    expect(t!.cells.some((c) => c.text === '加强政策解读和回应。')).toBe(true);
  });
});

describe('unruled tables: a row number in the page margin', () => {
  const size = 12;
  const run = (text: string, x: number, top: number): Run => textRun(text, x, top, size);
  it('keeps a 序号 level with its row text in the foot margin as the row anchor (a lone page number stays furniture)', () => {
    // header at 100; rows of 3 lines (pitch 17) centred on their numbers; the last row
    // starts at 750 (> 0.88 of the page height) and runs on to the next page
    const runs: Run[] = [run('序号', 60, 100), run('具体措施', 140, 100), run('责任单位', 400, 100)];
    const rowTops = [130, 200, 270, 340, 410, 480, 550, 620, 690];
    rowTops.forEach((t, i) => {
      runs.push(run(String(i + 1), 66, t + 17));
      for (let k = 0; k < 3; k++) runs.push(run(`第${i + 1}行措施第${k + 1}句`, 140, t + k * 17));
      runs.push(run(`第${i + 1}行单位`, 400, t + 17));
    });
    runs.push(run('10', 62, 752));
    for (let k = 0; k < 3; k++) runs.push(run(`第10行措施第${k + 1}句`, 140, 752 + k * 17));
    runs.push(run('第10行单位', 400, 752));
    runs.push(run('23', 292, 818)); // a real page number, alone in the foot margin, below all text
    const page = a4Page(1, runs);
    const ts = tablesOf(layoutDocument([page]));
    const r9 = rowOf(ts, '9');
    const r10 = rowOf(ts, '10');
    expect(textAt(r9, 1)).toBe('第9行措施第1句第9行措施第2句第9行措施第3句');
    expect(textAt(r10, 1)).toBe('第10行措施第1句第10行措施第2句第10行措施第3句');
    expect(textAt(r10, 2)).toBe('第10行单位');
    expect(ts.flatMap((t) => t.cells).some((c) => c.text.includes('23'))).toBe(false);
  });
});

describe('unruled tables: narrow gutters', () => {
  it('keeps two cells apart when only a third of an em separates their text', () => {
    // 具体措施 text ends at x 228, 责任单位 text starts at 232: a 4 pt gutter at 12 pt
    const blocks = layoutDocument([
      a4Page(1, [
        run('序号', 80, 100), run('具体措施', 120, 100), run('责任单位', 232, 100),
        run('1', 82, 130), run('加强相关信息公开工作', 108, 130), run('区投促局负责', 232, 130),
        run('2', 82, 160), run('做好政策解读回应工作', 108, 160), run('区市场局负责', 232, 160),
      ]),
    ]);
    const t = blocks.find((b): b is TableBlock => b.kind === 'table');
    expect(t).toBeDefined();
    const texts = t!.cells.map((c) => c.text);
    expect(texts).toContain('加强相关信息公开工作');
    expect(texts).toContain('区投促局负责');
  });
});

/**
 * Page 1 of a borderless 序号 | 具体措施 | 责任单位 table: ten rows, row 10
 * (top 716) running to the page foot with a third line whose end is on page 2.
 */
function tenRowsCutAtFoot(): Run[] {
  const p1 = [run('序号', 40, 100), run('具体措施', 200, 100), run('责任单位', 480, 100)];
  for (let i = 0; i < 10; i++) {
    const y = 140 + i * 64;
    p1.push(run(String(i + 1), 44, y + 10), run(`第${i + 1}项措施第一行`, 200, y), run(`第${i + 1}项措施第二行。`, 200, y + 17), run('办公室', 480, y + 10));
  }
  p1.push(run('第10项措施第三行', 200, 716 + 34));
  return p1;
}

describe('unruled tables: a row cut at the page foot', () => {
  it('keeps its tail at the top of the next page in the table when the next row starts a row gap below it', () => {
    const p1 = tenRowsCutAtFoot();
    // page 2: the tail at the top, then row 11 a row gap (> 1.5 em) below
    const p2 = [run('第10项措施末行。', 200, 34), run('负责。', 480, 34), run('11', 44, 78), run('第11项措施。', 200, 78), run('各科室负责', 480, 78)];
    const ts = tablesOf(layoutDocument([a4Page(1, p1), a4Page(2, p2)]));
    const cells = ts.flatMap((t) => t.cells.map((c) => squash(c.text)));
    expect(cells.some((t) => t.includes('第10项措施末行。'))).toBe(true);
    expect(cells.some((t) => t.includes('负责。') && !t.includes('办公室负责'))).toBe(true);
  });
});

describe('unruled tables: a cut row whose tail is in one column', () => {
  it('keeps a tail starting at the left edge of the column that ran to the page foot', () => {
    const p1 = tenRowsCutAtFoot();
    // page 2: only the 具体措施 text of row 10 is left over, then row 11 a row gap below
    const p2 = [run('第10项措施末行。', 200, 34), run('11', 44, 78), run('第11项措施。', 200, 78), run('各科室负责', 480, 78)];
    for (let i = 12; i <= 14; i++) p2.push(run(String(i), 44, 78 + (i - 11) * 44), run(`第${i}项措施。`, 200, 78 + (i - 11) * 44), run('办公室', 480, 78 + (i - 11) * 44));
    const ts = tablesOf(layoutDocument([a4Page(1, p1), a4Page(2, p2)]));
    expect(ts.flatMap((t) => t.cells).some((c) => squash(c.text).includes('第10项措施末行。'))).toBe(true);
  });
});

describe('unruled tables: group columns empty on a page', () => {
  it('a header label standing alone in a gutter is a column of its own; a continued page fills it', () => {
    // 主要任务 and 工作内容 have no text on page 1: without their labels the two
    // columns would vanish and their labels would run into the neighbours' headers
    const p1 = [
      run('序号', 40, 100), run('重点任务', 80, 100), run('主要任务', 150, 100), run('工作内容', 204, 100),
      run('具体措施', 300, 100), run('责任单位', 480, 100),
    ];
    for (let i = 0; i < 10; i++) {
      const y = 140 + i * 60;
      p1.push(run(String(i + 1), 44, y + 10), run(`第${i + 1}项具体措施内容。`, 260, y), run('办公室负责', 480, y + 10));
      if (i === 0) p1.push(run('一、公开', 80, y + 10));
    }
    const p2 = [run('11', 44, 60), run('（一）回', 150, 50), run('1.平台', 204, 50), run('第11项具体措施内容。', 260, 50), run('各科室负责', 480, 60)];
    for (let i = 11; i < 14; i++) p2.push(run(String(i + 1), 44, 60 * (i - 9)), run(`第${i + 1}项具体措施内容。`, 260, 60 * (i - 9)), run('办公室负责', 480, 60 * (i - 9)));
    const ts = tablesOf(layoutDocument([a4Page(1, p1), a4Page(2, p2)]));
    expect(ts.length).toBeGreaterThanOrEqual(1);
    expect(ts[0].cells.filter((c) => c.row === 0).map((c) => squash(c.text))).toEqual(['序号', '重点任务', '主要任务', '工作内容', '具体措施', '责任单位']);
    const r11 = rowOf(ts, '11');
    expect(r11.cells.map((c) => squash(c.text))).toEqual(['11', '', '（一）回', '1.平台', '第11项具体措施内容。', '各科室负责']);
  });
});

describe('unruled seed table with three narrow group columns (shanwei noborder PDF)', () => {
  // fixtures/pdf/shanwei-gaoxinqu-2024.noborder.html (the seed plan's tasks as a table
  // with border="0", 重点任务/主要任务/工作内容 merged down their rows) printed by LibreOffice
  const file = path.join(root, 'fixtures', 'pdf', 'shanwei-gaoxinqu-2024.noborder.pdf');
  it('matches the seed gold field by field', async () => {
    const { convert } = await import('../src/pipeline.js');
    const { compareWithGold, FIELDS } = await import('../src/eval/gold.js');
    const gold = JSON.parse(fs.readFileSync(`${file}.gold.json`, 'utf8'));
    const doc = await convert({ bytes: new Uint8Array(fs.readFileSync(file)), path: file });
    const r = compareWithGold(doc, gold);
    if (r.diffs.length) console.log(r.diffs.join('\n'));
    expect(r.foundTasks).toBe(r.goldTasks);
    for (const f of FIELDS) expect({ field: f, share: r.matches[f] / r.goldTasks }).toEqual({ field: f, share: 1 });
  });
});

describe('unruled tables: cells packed tight', () => {
  it('splits a line at a column gutter narrower than a third of an em when other lines attest the gutter', () => {
    // 工作内容 text fills its column (x 160–244) and the 具体措施 text starts 2.9 pt later
    const runs = [run('序号', 40, 100), run('工作内容', 160, 100), run('具体措施', 300, 100), run('责任单位', 500, 100)];
    for (let i = 0; i < 3; i++) {
      const y = 130 + i * 70;
      runs.push(run(String(i + 1), 44, y + 17), run(`内容${i + 1}的第一行`, 160, y), run(`第${i + 1}项措施`, 246.9, y + 17), run('办公室', 500, y + 17));
      runs.push(run(`内容${i + 1}的第二行`, 160, y + 17), run(`措施${i + 1}的末行。`, 246.9, y + 34));
    }
    const t = tablesOf(layoutDocument([a4Page(1, runs)]))[0];
    expect(t).toBeDefined();
    const r2 = rowOf([t], '2');
    expect(r2.cells.map((c) => squash(c.text))).toEqual(['2', '内容2的第一行内容2的第二行', '第2项措施措施2的末行。', '办公室']);
  });

  it('keeps one line whole where its own letter spacing is the only gap at that x', () => {
    const runs = [run('序号', 40, 100), run('具体措施', 160, 100), run('责任单位', 500, 100)];
    for (let i = 0; i < 3; i++) runs.push(run(String(i + 1), 44, 130 + i * 40), run(`第${i + 1}项措施内容。`, 160, 130 + i * 40), run('办公室', 500, 130 + i * 40));
    // a section row across the columns whose Latin digits stand 2.5 pt from the glyphs around them
    runs.push(run('4', 44, 250), run('于每年的', 160, 250), run('3', 210.5, 250), run('月底前完成', 225, 250), run('办公室', 500, 250));
    const t = tablesOf(layoutDocument([a4Page(1, runs)]))[0];
    expect(rowOf([t], '4').cells.map((c) => squash(c.text))).toEqual(['4', '于每年的3月底前完成', '办公室']);
  });
});

describe('unruled tables: numbered cells spanning into the key column', () => {
  const header = () => [run('工作要求', 60, 100), run('工作任务', 150, 100), run('具体要求', 260, 100), run('责任科室', 480, 100)];
  /** A row whose "N." text is in the 具体要求 column, with a 工作任务 cell of its own or not. */
  const ownRow = (n: number, y: number, group: boolean) => [
    ...(group ? [run(`（${n}）任务`, 150, y + 42)] : []),
    ...[0, 1, 2, 3, 4, 5].map((k) => run(k === 0 ? `${n}.做好第${n}项工作内容` : k === 5 ? '的落实。' : '各项工作的具体要求', 240, y + k * 17)),
    run('各科室', 480, y + 42),
  ];
  it('rows whose numbered text runs from 工作任务 across 具体要求 and rows with their own 工作任务 are all rows', () => {
    // no 序号 column: rows are anchored on "N." cells. Page 1 sets the columns; on page 2
    // rows 7 and 8 belong to the group cut at the page break, row 9 has a 工作任务 cell and
    // rows 10–13 have none, their numbered text starting in the 工作任务 column and
    // running on into 具体要求 (more numbered lines start in 工作任务 than in 具体要求)
    const p1 = header();
    for (let n = 1; n <= 6; n++) p1.push(...ownRow(n, 130 + (n - 1) * 115, true));
    const p2 = header();
    let y = 130;
    for (let n = 7; n <= 9; n++, y += 115) p2.push(...ownRow(n, y, n === 9));
    p2.push(run('二、监督', 60, y + 70));
    for (let n = 10; n <= 13; n++, y += 50) {
      p2.push(run(`${n}.加强第${n}项工作的指导监督和`, 150, y), run('检查落实。', 150, y + 17), run('办公室', 480, y + 8));
    }
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks).toHaveLength(13);
    expect(tasks.slice(6).map((t) => [t.content.slice(0, 6), t.units.raw])).toEqual([
      ['做好第7项工', '各科室'],
      ['做好第8项工', '各科室'],
      ['做好第9项工', '各科室'],
      ['加强第10项', '办公室'],
      ['加强第11项', '办公室'],
      ['加强第12项', '办公室'],
      ['加强第13项', '办公室'],
    ]);
  });
});

describe('unruled tables: a merged cell cut by the page break', () => {
  const X = { seq: 44, group: 90, content: 200, units: 480 };
  it('the rest printed centred on the page after, from the cut row down, joins the cut cell', () => {
    // rows are 48 pt tall (two content lines at 17 pt pitch, 7 pt padding above and below);
    // group B covers rows 10–16, row 14 is cut by the page break after its first line
    const header = [run('序号', 40, 96), run('重点任务', X.group, 96), run('具体措施', X.content, 96), run('责任单位', X.units, 96)];
    const rowTop = (i: number) => 120 + (i - 1) * 48;
    const p1 = [...header];
    for (let i = 1; i <= 13; i++) {
      const t = rowTop(i);
      p1.push(run(String(i), X.seq, t + 15.5), run(`第${i}项措施的第一行`, X.content, t + 7), run(`第${i}项措施末行。`, X.content, t + 24), run('办公室', X.units, t + 15.5));
    }
    p1.push(run('14', X.seq, rowTop(14) + 7), run('第14项措施的第一行', X.content, rowTop(14) + 7), run('办公室', X.units, rowTop(14) + 7));
    // group A centred over rows 1–9, group B's first part over rows 10–14 down to the page foot
    p1.push(run('A组任务', X.group, (rowTop(1) + rowTop(10)) / 2 - 6));
    const footB = rowTop(14) + 26;
    p1.push(run('B组第一行', X.group, (rowTop(10) + footB) / 2 - 14.5), run('B组第二行', X.group, (rowTop(10) + footB) / 2 + 2.5));
    // page 2: row 14's tail, rows 15 and 16, and group B's rest centred from the tail down
    const tailTop = 72;
    const p2 = [...header.map((r) => ({ ...r, top: r.top - 56, bottom: r.bottom - 56, base: r.base - 56 }))];
    p2.push(run('第14项措施末行。', X.content, tailTop));
    const top2 = (i: number) => tailTop + 19 + (i - 15) * 48;
    for (let i = 15; i <= 16; i++) {
      const t = top2(i);
      p2.push(run(String(i), X.seq, t + 15.5), run(`第${i}项措施的第一行`, X.content, t + 7), run(`第${i}项措施末行。`, X.content, t + 24), run('办公室', X.units, t + 15.5));
    }
    p2.push(run('B组末行', X.group, (tailTop - 7 + top2(16) + 48) / 2 - 6));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.map((t) => t.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(tasks.map((t) => squash(t.path.join('/')))).toEqual([
      ...Array(9).fill('A组任务'),
      ...Array(7).fill('B组第一行B组第二行B组末行'),
    ]);
    expect(squash(tasks[13].content)).toBe('第14项措施的第一行第14项措施末行。');
  });
});

describe('unruled tables: the row cut by the page foot', () => {
  const X = { seq: 44, content: 200, units: 480 };
  const header = [run('序号', 40, 96), run('具体措施', X.content, 96), run('责任单位', X.units, 96)];
  it('a block with another below it in the cut row is not the cut cell, however close its top is to its row text', () => {
    const runs = [...header];
    // row 1: plain
    runs.push(run('1', X.seq, 134), run('第1项措施。', X.content, 126), run('办公室', X.units, 134));
    // row 2: an eight-line units cell sets the row's height; its content sits high in the row
    const r2 = 160;
    for (let k = 0; k < 8; k++) runs.push(run(k === 7 ? '负责' : `第${k + 1}单位、`, X.units, r2 + k * 17));
    runs.push(run('2', X.seq, r2 + 59.5));
    for (let k = 0; k < 5; k++) runs.push(run(k === 4 ? '第2项末行。' : `第2项第${k + 1}行`, X.content, r2 + k * 17));
    // row 3 runs on past the page foot: its text starts at the top of what is left of it
    const r3 = r2 + 8 * 17 + 8;
    runs.push(run('3', X.seq, r3));
    for (let k = 0; r3 + k * 17 < 790; k++) {
      runs.push(run(`第3项第${k + 1}行`, X.content, r3 + k * 17), run(`第3单位${k + 1}`, X.units, r3 + k * 17));
    }
    const ts = tablesOf(layoutDocument([a4Page(1, runs)]));
    const col = ts[0].cells.find((c) => c.row === 0 && squash(c.text) === '具体措施')!.col;
    expect(textAt(rowOf(ts, '2'), col)).toBe('第2项第1行第2项第2行第2项第3行第2项第4行第2项末行。');
    expect(textAt(rowOf(ts, '3'), col)).toMatch(/^第3项第1行/);
  });
});

describe('unruled tables: a continued page repeating the header', () => {
  const X = { req: 84, task: 162, content: 240, units: 436 };
  const header = (top: number) => [run('工作要求', 92, top), run('工作任务', 170, top), run('具体要求', 307, top), run('责任科室', 450, top)];
  it('keeps the carried columns when every label stands over one of them, though text spans their gutters', () => {
    const p1 = header(100);
    p1.push(run('一、要求', X.req, 300), run('（一）任务', X.task, 300));
    for (let i = 1; i <= 15; i++) {
      const t = 124 + (i - 1) * 44;
      p1.push(run(`${i}.第${i}项要求`, X.content, t), run('内容末行。', X.content, t + 17), run('办公室', X.units, t + 8));
    }
    // page 2: items printed across 工作任务 and 具体要求 (merged cells), then text under the table
    const p2 = header(100);
    for (let i = 16; i <= 17; i++) {
      const t = 124 + (i - 16) * 44;
      p2.push(run(`${i}.第${i}项工作要点落实情况`, X.task, t), run('纳入年报予以公开。', X.task, t + 17), run('办公室', X.units, t + 8));
    }
    p2.push(run('公开方式：主动公开', 80, 260));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const t2 = tablesOf(blocks).find((t) => t.page === 2)!;
    expect(t2.cols).toBe(4);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.map((t) => t.seq)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(squash(tasks[16].content)).toBe('第17项工作要点落实情况纳入年报予以公开。');
    expect(squash(tasks[16].units?.raw ?? '')).toBe('办公室');
  });
});

/**
 * Page 1 of a borderless 序号 | 具体措施 | 责任单位 table (x 44 / 200 / 430):
 * thirteen one-line rows, then row 14 whose task text runs on to page 2.
 */
function thirteenRowsAndACutOne(header: Run[]): Run[] {
  const rowTop = (i: number) => 120 + (i - 1) * 48;
  const p1 = [...header];
  for (let i = 1; i <= 13; i++) {
    const t = rowTop(i);
    p1.push(run(String(i), 44, t + 15.5), run(`第${i}项措施的第一行。`, 200, t + 15.5), run('办公室', 430, t + 15.5));
  }
  p1.push(run('14', 44, rowTop(14) + 7), run('第14项措施的第一行', 200, rowTop(14) + 7), run('办公室', 430, rowTop(14) + 7));
  return p1;
}

describe('unruled tables: abutting cells in one block of text', () => {
  const X = { seq: 44, content: 200, units: 430 };
  const header = [run('序号', 40, 96), run('具体措施', X.content, 96), run('责任单位', X.units, 96)];

  it('a narrow units cell whose last line is full but closes with a role word ends there', () => {
    const y0 = 130;
    const runs = [...header];
    // two units cells with no more than a line's spacing between them, each centred on its row
    ['各镇街区、', '区政府各部', '门、各直属', '机构都负责', '区编办牵头', '各单位负责'].forEach((t, k) => runs.push(run(t, X.units, y0 + k * 17)));
    runs.push(run('1', X.seq, y0 + 25.5), run('第1项措施。', X.content, y0 + 25.5));
    runs.push(run('2', X.seq, y0 + 76.5), run('第2项措施。', X.content, y0 + 76.5));
    const ts = tablesOf(layoutDocument([a4Page(1, runs)]));
    const col = ts[0].cells.find((c) => c.row === 0 && squash(c.text) === '责任单位')!.col;
    expect(textAt(rowOf(ts, '1'), col)).toBe('各镇街区、区政府各部门、各直属机构都负责');
    expect(textAt(rowOf(ts, '2'), col)).toBe('区编办牵头各单位负责');
  });

  it('a cell held high in its row, abutting the row above, is split off the cell centred on that row', () => {
    const runs = [...header];
    // row 1: two content lines centred on its number; row 2: an eight-line units cell sets
    // its height, its content sits at the top, right below row 1's
    runs.push(run('第一项措施第一行', X.content, 130), run('第一项措施末行。', X.content, 147));
    runs.push(run('1', X.seq, 138.5), run('办公室', X.units, 138.5));
    runs.push(run('第二项措施第一行', X.content, 164), run('第二项措施末行。', X.content, 181));
    for (let k = 0; k < 8; k++) runs.push(run(k === 7 ? '负责' : `第${k + 1}单位、`, X.units, 170 + k * 17));
    runs.push(run('2', X.seq, 229.5));
    const ts = tablesOf(layoutDocument([a4Page(1, runs)]));
    const col = ts[0].cells.find((c) => c.row === 0 && squash(c.text) === '具体措施')!.col;
    expect(textAt(rowOf(ts, '1'), col)).toBe('第一项措施第一行第一项措施末行。');
    expect(textAt(rowOf(ts, '2'), col)).toBe('第二项措施第一行第二项措施末行。');
  });

  it('a block from a cut row tail down to the page foot splits bottom-up with its last part level with the cut row', () => {
    const p1 = thirteenRowsAndACutOne(header);
    // page 2: one block of full lines at one pitch — row 14's tail, row 15 centred on its
    // number, row 16 from its number down past the page foot
    const p2: Run[] = [];
    const line = (k: number) => 72 + k * 17;
    p2.push(run('第十四项措施末行。', X.content, line(0)));
    ['第十五项措施第一行', '第十五项措施第二行', '第十五项措施末行。'].forEach((t, k) => p2.push(run(t, X.content, line(1 + k))));
    p2.push(run('15', X.seq, (line(1) + line(3) + 12) / 2 - 6), run('办公室', X.units, (line(1) + line(3) + 12) / 2 - 6));
    p2.push(run('16', X.seq, line(4)), run('信息中心', X.units, line(4)));
    for (let k = 4; line(k) < 790; k++) p2.push(run(`第十六项措施第${String.fromCharCode(0x4e00 + k)}行`, X.content, line(k)));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.map((t) => t.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(squash(tasks[13].content)).toBe('第14项措施的第一行第十四项措施末行。');
    expect(squash(tasks[14].content)).toBe('第十五项措施第一行第十五项措施第二行第十五项措施末行。');
    expect(squash(tasks[15].content)).toMatch(/^第十六项措施第/);
    expect(squash(tasks[15].units?.raw ?? '')).toBe('信息中心');
  });
});

describe('unruled tables: the tail of a cut row at the top of a continued page', () => {
  const X = { seq: 44, content: 200, units: 430 };
  const header = [run('序号', 40, 96), run('具体措施', X.content, 96), run('责任单位', X.units, 96)];
  it('a closed tail above the first row in the same text block is the cut row’s, even where a tall cell of that row starts level with it', () => {
    const p1 = thirteenRowsAndACutOne(header);
    // page 2: row 14's tail, then row 15's two lines centred on its number, one block; row
    // 15's three-line units cell, centred too, starts above the tail's bottom
    const p2: Run[] = [run('第十四项措施末行。', X.content, 72), run('第十五项措施第一行', X.content, 89), run('第十五项措施末行。', X.content, 106)];
    p2.push(run('15', X.seq, 97.5));
    ['区编办、区发', '展改革局、区', '科技局负责'].forEach((t, k) => p2.push(run(t, X.units, 80.5 + k * 17)));
    p2.push(run('16', X.seq, 160), run('第十六项措施。', X.content, 160), run('信息中心', X.units, 160));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.map((t) => t.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(squash(tasks[13].content)).toBe('第14项措施的第一行第十四项措施末行。');
    expect(squash(tasks[14].content)).toBe('第十五项措施第一行第十五项措施末行。');
  });
});

describe('unruled tables: the rest of a merged cell after a cut row tail that is a row of its own', () => {
  const X = { group: 90, content: 200, units: 480 };
  const header = [run('重点任务', X.group, 96), run('具体措施', X.content, 96), run('责任单位', X.units, 96)];
  it('a block centred as well on the run from the tail down as on one row below goes on the cut cell', () => {
    // numbered content is the key column: the unnumbered tail at the top of page 2 is a row
    const rowTop = (i: number) => 120 + (i - 1) * 48;
    const p1 = [...header];
    for (let i = 1; i <= 13; i++) {
      const t = rowTop(i);
      p1.push(run(`${i}.第${i}项措施第一行`, X.content, t + 7), run(`第${i}项措施末行。`, X.content, t + 24), run('办公室', X.units, t + 15.5));
    }
    p1.push(run('14.第14项措施第一行', X.content, rowTop(14) + 7), run('办公室', X.units, rowTop(14) + 7));
    p1.push(run('A组任务', X.group, (rowTop(1) + rowTop(10)) / 2 - 6));
    p1.push(run('B组第一行', X.group, (rowTop(10) + rowTop(14) + 26) / 2 - 6));
    const p2 = header.map((r) => ({ ...r, top: r.top - 56, bottom: r.bottom - 56, base: r.base - 56 }));
    p2.push(run('第14项措施续行', X.content, 72), run('第14项措施末行。', X.content, 89));
    const top2 = (i: number) => 108 + (i - 15) * 48;
    for (let i = 15; i <= 20; i++) {
      const t = top2(i);
      p2.push(run(`${i}.第${i}项措施第一行`, X.content, t + 7), run(`第${i}项措施末行。`, X.content, t + 24), run('办公室', X.units, t + 15.5));
    }
    // the rest of group B, centred on row 17 and within a quarter em of the middle of the
    // page's rows from the tail down
    p2.push(run('B组末行', X.group, top2(17) + 15));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.map((t) => t.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(tasks.slice(9).map((t) => squash(t.path.join('/')))).toEqual(Array(11).fill('B组第一行B组末行'));
  });
});

describe('unruled tables: the tail of a cut cell spanning columns', () => {
  /** Text set glyph by glyph (as pdf.js gives justified lines): it can run across a gutter. */
  const glyphs = (t: string, x: number, top: number) => [...t].map((g, k) => textRun(g, x + k * 12, top));
  const X = { seq: 44, group: 90, content: 200, units: 480 };
  const header = [run('序号', 40, 96), run('重点任务', X.group, 96), run('具体措施', X.content, 96), run('责任单位', X.units, 96)];
  const rowTop = (i: number) => 120 + (i - 1) * 48;
  it('keeps its column span in the fragment row', () => {
    const p1 = [...header];
    for (let i = 1; i <= 14; i++) {
      const t = rowTop(i);
      p1.push(run(String(i), X.seq, t + 15.5), run(`第${i}组`, X.group, t + 15.5), run(`第${i}项措施第一行`, X.content, t + 7), run(`第${i}项措施末行。`, X.content, t + 24), run('办公室', X.units, t + 15.5));
    }
    // page 2: rows without a group, their text running from 重点任务 across 具体措施; the last is cut
    const p2 = [...header];
    const top2 = (i: number) => 120 + (i - 15) * 44;
    for (let i = 15; i <= 27; i++) {
      const t = top2(i);
      p2.push(run(String(i), X.seq, t + 15.5), ...glyphs(`第${i}项工作跨两列的措施第一行`, X.group, t + 7), ...glyphs(`第${i}项措施末行。`, X.group, t + 24));
      p2.push(run('办公室', X.units, t + 15.5));
    }
    p2.push(run('28', X.seq, top2(28) + 7), ...glyphs('第28项工作跨两列的措施第一行', X.group, top2(28) + 7), run('办公室', X.units, top2(28) + 7));
    const p3 = header.map((r) => ({ ...r, top: r.top - 56, bottom: r.bottom - 56, base: r.base - 56 }));
    p3.push(...glyphs('第28项工作跨两列的措施第二行。', X.group, 72));
    p3.push(run('29', X.seq, 106.5), ...glyphs('第29项工作跨两列的措施第一行', X.group, 98), ...glyphs('第29项措施末行。', X.group, 115), run('办公室', X.units, 106.5));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2), a4Page(3, p3)]);
    const t3 = tablesOf(blocks).find((t) => t.page === 3)!;
    expect(t3.cols).toBe(4);
    const tail = t3.cells.find((c) => squash(c.text) === '第28项工作跨两列的措施第二行。')!;
    expect(tail).toMatchObject({ row: 1, col: 1, colSpan: 2 });
    // no cell of its own under the span, and the fragment row has no number
    expect(t3.cells.some((c) => c.row === 1 && c.col === 2)).toBe(false);
    expect(squash(t3.cells.find((c) => c.row === 1 && c.col === 0)!.text)).toBe('');
  });
});

describe('unruled tables: a header label over two group columns', () => {
  const X = { seq: 44, g1: 90, g2: 172, content: 280, units: 460 };
  // 工作任务 centred on the gutter between the two group columns (x 143–191)
  const header = (top: number) => [run('序号', 40, top), run('工作任务', 143, top), run('具体要求', 300, top), run('责任单位', X.units, top)];
  it('spans both columns on a page whose group text stops short of the label (only a cut tail there)', () => {
    const p1 = header(100);
    for (let i = 1; i <= 8; i++) {
      const t = 140 + (i - 1) * 60;
      p1.push(run(String(i), X.seq, t), run(`第${i}项内容。`, X.content, t), run('办公室负责', X.units, t));
    }
    p1.push(run('一、推进公开', X.g1, 140), run('（一）落实条例', X.g2, 140), run('二、推进制度', X.g1, 560), run('（二）贯彻落', X.g2, 560));
    const p2 = header(60);
    p2.push(run('规范化工作', X.g1, 100), run('实条例', X.g2, 100), run('（续）。', X.content, 100));
    for (let i = 9; i <= 10; i++) {
      const t = 160 + (i - 9) * 60;
      p2.push(run(String(i), X.seq, t), run(`第${i}项内容。`, X.content, t), run('办公室负责', X.units, t));
    }
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const t2 = tablesOf(blocks).find((t) => t.page === 2)!;
    expect(t2.cells.filter((c) => c.row === 0).map((c) => [squash(c.text), c.colSpan])).toEqual([['序号', 1], ['工作任务', 2], ['具体要求', 1], ['责任单位', 1]]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.map((t) => t.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(tasks[7].path).toEqual(['二、推进制度规范化工作', '（二）贯彻落实条例']);
    expect(tasks[7].content).toBe('第8项内容。（续）。');
  });
});

describe('unruled tables: one top-aligned column in a centred table', () => {
  const size = 12;
  const pitch = 17;
  const run = (t: string, x: number, top: number): Run => textRun(t, x, top, size);
  const X = { group: 90, content: 200, units: 460 };
  it('a group column whose cells start level with their first row’s text places each group on that row', () => {
    // content lines per row; groups (two lines each) open rows 0, 3, 5 and 7, set
    // flush with the row's numbered text while 责任单位 is centred in its rows
    const lines = [3, 1, 1, 3, 1, 4, 1, 3, 1, 1];
    const groups = new Map([[0, '一、甲'], [3, '二、乙'], [5, '三、丙'], [7, '四、丁']]);
    const runs: Run[] = [run('工作任务', X.group, 100), run('具体要求', X.content, 100), run('责任单位', X.units, 100)];
    let y = 124;
    lines.forEach((n, i) => {
      const top = y + 9.5;
      const mid = y + (n * pitch + 14) / 2;
      runs.push(run('办公室负责', X.units, mid - size / 2));
      for (let k = 0; k < n; k++) runs.push(run(`${k === 0 ? `${i + 1}.` : ''}第${i + 1}项第${k + 1}行${k === n - 1 ? '。' : '文字'}`, X.content, top + k * pitch));
      const g = groups.get(i);
      if (g) [g, '推进工作'].forEach((t, k) => runs.push(run(t, X.group, top + k * pitch)));
      y += n * pitch + 14;
    });
    const page = a4Page(1, runs);
    const tasks = buildPlan({ format: 'pdf', blocks: layoutDocument([page]), pages: 1, encoding: null, warnings: [] }).tasks;
    expect(tasks.map((t) => t.path[0]?.slice(0, 3))).toEqual(['一、甲', '一、甲', '一、甲', '二、乙', '二、乙', '三、丙', '三、丙', '四、丁', '四、丁', '四、丁']);
  });
});

describe('unruled tables: bottom-aligned cells over a page break', () => {
  const size = 12;
  const pitch = 16;
  const run = (t: string, x: number, top: number): Run => textRun(t, x, top, size);
  const X = { seq: 44, content: 200, units: 430 };
  const header = (top: number) => [run('序号', 40, top), run('具体要求', X.content, top), run('责任单位', X.units, top)];
  /** A row whose cells end level with its foot: its content lines, its units lines. */
  const row = (seq: string, content: string[], units: string[], foot: number): Run[] => [
    run(seq, X.seq, foot - size),
    ...content.map((t, k) => run(t, X.content, foot - size - (content.length - 1 - k) * pitch)),
    ...units.map((t, k) => run(t, X.units, foot - size - (units.length - 1 - k) * pitch)),
  ];
  it('the rest of a cut row ends level in its columns above the first row: it joins the cut row', () => {
    const p1 = header(100);
    let foot = 120;
    for (let i = 1; i <= 8; i++) {
      foot += 3 * pitch + 8;
      p1.push(...row(String(i), [`第${i}项第1行文字`, `第${i}项第2行文字`, `第${i}项末行。`], i === 8 ? ['区政务办、各直属机'] : ['办公室负责'], foot));
    }
    // the page foot cut row 8: its rest ends at y 116 in both columns, row 9's units run on right below
    const p2 = [...header(60), run('尾部文字。', X.content, 104), run('构负责', X.units, 104)];
    p2.push(...row('9', ['第9项第1行文字', '第9项第2行文字', '第9项末行。'], ['宣传部、', '各镇负责'], 186));
    p2.push(...row('10', ['第10项第1行文字', '第10项末行。'], ['办公室负责'], 240));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.slice(7).map((t) => [t.seq, t.content, t.units.raw])).toEqual([
      [8, '第8项第1行文字第8项第2行文字第8项末行。尾部文字。', '区政务办、各直属机构负责'],
      [9, '第9项第1行文字第9项第2行文字第9项末行。', '宣传部、各镇负责'],
      [10, '第10项第1行文字第10项末行。', '办公室负责'],
    ]);
  });

  it('… and where only one column was cut mid-text at the page foot, its rest runs to its first cell end', () => {
    const p1 = header(100);
    let foot = 120;
    for (let i = 1; i <= 8; i++) {
      foot += 3 * pitch + 8;
      p1.push(...row(String(i), [`第${i}项第1行文字`, `第${i}项第2行文字`, i === 8 ? '第8项末行有关' : `第${i}项末行。`], ['办公室负责'], foot));
    }
    // row 9's content starts right below the rest of row 8's
    const p2 = [...header(60), run('政策的落实情况。', X.content, 84)];
    p2.push(...row('9', ['第9项第1行文字', '第9项第2行文字', '第9项末行。'], ['宣传部负责'], 84 + 4 * pitch));
    const blocks = layoutDocument([a4Page(1, p1), a4Page(2, p2)]);
    const tasks = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] }).tasks;
    expect(tasks.slice(7).map((t) => [t.seq, t.content, t.units.raw])).toEqual([
      [8, '第8项第1行文字第8项第2行文字第8项末行有关政策的落实情况。', '办公室负责'],
      [9, '第9项第1行文字第9项第2行文字第9项末行。', '宣传部负责'],
    ]);
  });
});

describe('unruled tables: the last page of a continued table', () => {
  const page = (n: number, runs: Run[]): PageData => ({ page: n, width: 842, height: 595, runs, segs: [] });
  /** A run with its own width (digits are narrower than an em). */
  const at = (text: string, x0: number, x1: number, top: number): Run => ({ ...textRun(text, x0, top), x1 });
  const header = () => [textRun('工作要求', 109, 64), textRun('工作任务', 233, 64), textRun('具体要求', 449, 64), textRun('责任科室', 674, 64)];
  it('keeps the carried columns under the same labels where digits and the text under the table open more gutters', () => {
    const p1 = [...header(), textRun('一、公开', 80, 84), textRun('（一）任务', 200, 84)];
    for (let i = 1; i <= 12; i++) {
      const y = 84 + (i - 1) * 36;
      p1.push(at(`${i}.第${i}项具体要求的内容文字，写满这一行的宽度。`, 323, 623, y), textRun(`第${i}项末行。`, 323, y + 17), at('办公室牵头，各科室协办', 632, 764, y + 8));
    }
    // the last row spans 工作任务 and 具体要求; "3月1日" splits its line into runs
    const p2 = [
      ...header(),
      at('13.根据上级要求，于每年的', 200, 347, 84),
      at('3', 350, 356, 84),
      at('月', 359, 371, 84),
      at('1', 373, 379, 84),
      at('日前发布本单位上年度的报告', 381, 622, 84),
      at('予以公开。', 200, 320, 101),
      at('办公室牵头，各科室协办', 632, 764, 92),
      at('公开方式：主动公开', 104, 248, 148),
      at('某某市政府投资工程建设管理中心办公室', 86, 338, 177),
      at('2022年11月23日印发', 401, 541, 177),
    ];
    const blocks = layoutDocument([page(1, p1), page(2, p2)]);
    const t2 = tablesOf(blocks).find((t) => t.page === 2)!;
    expect(t2.cols).toBe(4);
    const plan = buildPlan({ format: 'pdf', blocks, pages: 2, encoding: null, warnings: [] });
    expect(plan.tasks.map((t) => t.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(plan.tasks.some((t) => t.content.includes('印发'))).toBe(false);
  });
});

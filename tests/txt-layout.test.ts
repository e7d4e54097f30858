import { describe, expect, it } from 'vitest';
import { convert } from '../src/pipeline.js';

// `pdftotext -layout` tables: columns aligned with spaces, cells wrapped over
// several lines, 序号 and merged group cells vertically centred, the header
// repeated on each page. The generator below prints such a table.

interface Row {
  seq: number;
  group: string;
  content: string;
  units: string;
}

const wide = (ch: string) => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uff60“”]/.test(ch);
const dw = (s: string, display: boolean) => [...s].reduce((a, c) => a + (display && wide(c) ? 2 : 1), 0);

function wrap(text: string, chars: number): string[] {
  const out: string[] = [];
  const cs = [...text];
  for (let i = 0; i < cs.length; i += chars) out.push(cs.slice(i, i + chars).join(''));
  return out.length ? out : [''];
}

/** Lay out rows; group cells span runs of equal group text, printed once, centred. */
function layout(rows: Row[], opts: { display: boolean; widths: number[]; perPage: number; formFeed: boolean; headerWrap?: boolean }): string {
  const [wSeq, wGroup, wContent, wUnits] = opts.widths;
  const starts = [0, wSeq + 2, wSeq + 2 + wGroup + 2, wSeq + 2 + wGroup + 2 + wContent + 2];
  const put = (line: string[], col: number, text: string) => {
    // Pad by display width to the column start.
    let cur = line.join('');
    const pad = starts[col] - dw(cur, opts.display);
    cur += ' '.repeat(Math.max(1, pad)) + text;
    line.splice(0, line.length, cur);
  };
  const cellChars = (w: number) => (opts.display ? Math.floor(w / 2) : w);
  const header = (): string[] =>
    opts.headerWrap
      ? [' '.repeat(starts[3]) + '牵头及责任单', `序号${' '.repeat(starts[1] - 4)}工作任务${' '.repeat(starts[2] - starts[1] - dw('工作任务', opts.display))}具体要求`, `${' '.repeat(starts[3] + 2)}位`]
      : [[...['序号', '工作任务', '具体要求', '责任单位']].reduce((acc, l, i) => acc + ' '.repeat(Math.max(1, starts[i] - dw(acc, opts.display))) + l, '').trimStart()];
  const pages: string[][] = [];
  for (let p = 0; p * opts.perPage < rows.length; p++) {
    const pageRows = rows.slice(p * opts.perPage, (p + 1) * opts.perPage);
    const lines: string[] = [...header()];
    // Row heights and group runs.
    const cells = pageRows.map((r) => ({ c: wrap(r.content, cellChars(wContent)), u: wrap(r.units, cellChars(wUnits)) }));
    const heights = cells.map((c) => Math.max(c.c.length, c.u.length));
    // A merged cell's text never sticks out of its rows: the renderer grows the run's last row.
    for (let i = 0; i < pageRows.length; ) {
      let j = i;
      while (j + 1 < pageRows.length && pageRows[j + 1].group === pageRows[i].group) j++;
      const need = wrap(pageRows[i].group, cellChars(wGroup)).length;
      const have = heights.slice(i, j + 1).reduce((a, b) => a + b, 0);
      if (have < need) heights[j] += need - have;
      i = j + 1;
    }
    const top: number[] = [];
    heights.reduce((acc, h, i) => ((top[i] = acc), acc + h), 0);
    const total = heights.reduce((a, b) => a + b, 0);
    const grid: string[][] = Array.from({ length: total }, () => []);
    const place = (line: number, col: number, text: string) => grid[line].push(`${col}\u0000${text}`);
    pageRows.forEach((r, i) => {
      const h = heights[i];
      const mid = top[i] + Math.floor((h - 1) / 2);
      place(mid, 0, String(r.seq));
      const c0 = top[i] + Math.floor((h - cells[i].c.length) / 2);
      cells[i].c.forEach((t, k) => place(c0 + k, 2, t));
      const u0 = top[i] + Math.floor((h - cells[i].u.length) / 2);
      cells[i].u.forEach((t, k) => place(u0 + k, 3, t));
    });
    // Group runs, centred over the run's lines.
    for (let i = 0; i < pageRows.length; ) {
      let j = i;
      while (j + 1 < pageRows.length && pageRows[j + 1].group === pageRows[i].group) j++;
      const g = wrap(pageRows[i].group, cellChars(wGroup));
      const from = top[i];
      const to = top[j] + heights[j];
      const g0 = from + Math.floor((to - from - g.length) / 2);
      if (p === 0 || i > 0 || pageRows[i].group !== rows[p * opts.perPage - 1].group) g.forEach((t, k) => place(g0 + k, 1, t));
      i = j + 1;
    }
    for (const items of grid) {
      const line: string[] = [''];
      items
        .map((s) => s.split('\u0000'))
        .sort((a, b) => Number(a[0]) - Number(b[0]))
        .forEach(([col, text]) => put(line, Number(col), text));
      lines.push(line[0].replace(/^ /, ''));
    }
    pages.push(lines);
  }
  return `关于印发某区2024年政务公开工作要点分工方案的通知\n\n${pages.map((l) => l.join('\n')).join(opts.formFeed ? '\n\f' : '\n\n')}\n\n\n\n公开方式：主动公开\n`;
}

const ROWS: Row[] = [
  { seq: 1, group: '一、加强政策解读工作', content: '围绕重大决策部署做好政策解读，及时准确传递权威信息和政策意图。', units: '区府办牵头，区政府各部门负责' },
  { seq: 2, group: '一、加强政策解读工作', content: '完善政策解读工作机制。', units: '区政府各部门负责' },
  { seq: 3, group: '一、加强政策解读工作', content: '加强政策文件与解读材料同步组织、同步审签、同步部署，提高解读质量。', units: '区司法局牵头，区政府各部门配合' },
  { seq: 4, group: '二、推进重点领域信息公开', content: '做好财政预决算信息公开工作。', units: '区财政局负责' },
  { seq: 5, group: '二、推进重点领域信息公开', content: '推进重大建设项目批准和实施领域政府信息公开，突出做好招标投标、征收土地等信息的公开。', units: '区发展改革局、区住房城乡建设局分别负责' },
  { seq: 6, group: '二、推进重点领域信息公开', content: '加强公共资源配置领域信息公开。', units: '区公共资源交易中心负责' },
  { seq: 7, group: '三、优化政务公开平台', content: '强化政府网站内容保障，做好常态化监测。', units: '区府办负责' },
  { seq: 8, group: '三、优化政务公开平台', content: '规范政务新媒体运维管理，提升公开实效，做好信息发布、政策解读和办事服务工作。', units: '区府办牵头，各镇（街）配合' },
];

async function parse(text: string) {
  return convert({ bytes: new TextEncoder().encode(text), path: 'layout.txt' });
}

// Known ambiguity (not tested): a group cell whose run starts on the first
// row of a page can, after line rounding, look centred both on that run and on
// the run one row shorter; the reader then keeps it on its own row.
describe('pdftotext -layout tables', () => {
  for (const variant of [
    { name: 'display-width alignment, form feeds, wrapped header', display: true, widths: [4, 12, 30, 16], perPage: 4, formFeed: true, headerWrap: true },
    { name: 'one column per character, no form feeds', display: false, widths: [2, 6, 14, 8], perPage: 4, formFeed: false, headerWrap: false },
    { name: 'landscape widths', display: true, widths: [4, 16, 50, 24], perPage: 5, formFeed: true, headerWrap: false },
  ]) {
    it(`recovers every row: ${variant.name}`, async () => {
      const text = layout(ROWS, variant);
      const doc = await parse(text);
      expect(doc.tasks.map((t) => t.seq)).toEqual(ROWS.map((r) => r.seq));
      doc.tasks.forEach((t, i) => {
        expect(t.content).toBe(ROWS[i].content);
        expect(t.units.raw).toBe(ROWS[i].units);
        expect(t.path).toEqual([ROWS[i].group]);
      });
    });
  }

  it('keeps a narrative in the same layout a narrative', async () => {
    const text = '某区2024年政务公开工作要点\n\n  一、加强政策解读\n    （一）做好解读工作。围绕重大决策部署做好政策解读。（区府办负责）\n    （二）完善解读机制。建立健全工作制度。（区司法局负责）\n';
    const doc = await parse(text);
    expect(doc.tasks.length).toBe(2);
    expect(doc.tasks.every((t) => t.provenance.table === null)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readPdf, layoutDocument, type PageData } from '../src/readers/pdf.js';
import type { Run } from '../src/readers/pdf-text.js';
import { textRun } from './helpers/pdf-runs.js';
import { normalizeLine } from '../src/readers/pdf-text.js';
import { isPageNumber, isContinuedMarker, joinWrapped } from '../src/readers/pdf-layout.js';
import { InputError, type IntermediateDocument, type TableBlock } from '../src/model/document.js';

const root = path.resolve(__dirname, '..');
const corpus = path.join(root, 'fixtures', 'corpus');
const own = path.join(root, 'fixtures', 'pdf');

const squash = (s: string) => s.replace(/\s+/g, '');

interface GoldTask {
  seq: number | null;
  content: string;
}

function corpusPdfs(): { plan: string; file: string }[] {
  const out: { plan: string; file: string }[] = [];
  for (const plan of fs.readdirSync(corpus).sort()) {
    const dir = path.join(corpus, plan);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.pdf')) out.push({ plan, file: f });
  }
  return out;
}

const cache = new Map<string, Promise<IntermediateDocument>>();
function read(file: string): Promise<IntermediateDocument> {
  let p = cache.get(file);
  if (!p) {
    p = readPdf(new Uint8Array(fs.readFileSync(file)));
    cache.set(file, p);
  }
  return p;
}

const tables = (doc: IntermediateDocument) => doc.blocks.filter((b): b is TableBlock => b.kind === 'table');

/**
 * Per-column text streams over all table pieces in page order: a cell cut by
 * a page break is the tail of one piece's column and the head of the next.
 */
function columnStreams(doc: IntermediateDocument): string[] {
  const streams: string[] = [];
  const ts = tables(doc);
  // repeated header rows sit between the two halves of a cut cell: leave them out
  const header = new Set(ts[0]?.cells.filter((c) => c.row === 0).map((c) => squash(c.text)) ?? []);
  for (const t of ts) {
    for (let c = 0; c < t.cols; c++) {
      const cells = t.cells.filter((x) => x.col === c && !(x.row === 0 && header.has(squash(x.text)))).sort((a, b) => a.row - b.row);
      streams[c] = (streams[c] ?? '') + cells.map((x) => squash(x.text)).join('');
    }
  }
  return streams;
}

const EXPECTED_HEADERS: Record<string, string[]> = {
  'xinhui-qu-2018-fengong': ['序号', '工作任务', '具体要求', '牵头及责任单位'],
  'jiangmen-jianguan-2022-fengong': ['工作要求', '工作任务', '具体要求', '责任科室'],
};
/** Page of the first task's cell, checked with pdftotext: the jiangmen table follows a cover page. */
const FIRST_TASK_PAGE: Record<string, number> = {
  'xinhui-qu-2018-fengong': 1,
  'jiangmen-jianguan-2022-fengong': 2,
  'xinhui-kaifaqu-2018-narrative': 2,
};

describe('pdf reader on the corpus', () => {
  for (const { plan, file } of corpusPdfs()) {
    const full = path.join(corpus, plan, file);
    const gold = JSON.parse(fs.readFileSync(full + '.gold.json', 'utf8')) as { tasks: GoldTask[] };
    const narrative = plan.includes('narrative');
    const noborder = file.endsWith('.noborder.pdf');

    it(`${file}: every gold task's content is in the output`, async () => {
      const doc = await read(full);
      expect(doc.format).toBe('pdf');
      expect(doc.encoding).toBeNull();
      const cellTexts = tables(doc).flatMap((t) => t.cells.map((c) => squash(c.text)));
      const paraTexts = doc.blocks.filter((b) => b.kind !== 'table').map((b) => squash((b as { text: string }).text));
      const streams = columnStreams(doc);
      const missing: string[] = [];
      let inOneCell = 0;
      for (const t of gold.tasks) {
        const want = squash(t.content);
        if (!want) continue;
        if (narrative) {
          if (!paraTexts.some((p) => p.includes(want))) missing.push(want);
          continue;
        }
        if (cellTexts.some((c) => c.includes(want))) inOneCell++;
        else if (!streams.some((s) => s.includes(want))) missing.push(want);
      }
      expect(missing).toEqual([]);
      if (!narrative) {
        // only rows cut by a page break may be split over two pieces
        expect(inOneCell).toBeGreaterThan(gold.tasks.length * 0.8);
      }
    });

    it(`${file}: pages, block pages and table shape`, async () => {
      const doc = await read(full);
      expect(doc.pages).toBeGreaterThan(1);
      for (const b of doc.blocks) {
        expect(b.page).toBeGreaterThanOrEqual(1);
        expect(b.page).toBeLessThanOrEqual(doc.pages!);
      }
      const ts = tables(doc);
      if (narrative) {
        expect(ts).toEqual([]);
        // no page numbers or running heads survive as paragraphs
        expect(doc.blocks.filter((b) => b.kind === 'paragraph' && isPageNumber(b.text))).toEqual([]);
        return;
      }
      expect(ts.length).toBeGreaterThan(1); // one piece per page
      for (const t of ts) {
        expect(t.origin).toBe(noborder ? 'flattened' : 'grid');
        for (const c of t.cells) {
          expect(c.page).toBe(t.page);
          expect(c.row + c.rowSpan).toBeLessThanOrEqual(t.rows);
          expect(c.col + c.colSpan).toBeLessThanOrEqual(t.cols);
        }
      }
      // pieces are on increasing pages, one per page
      const pages = ts.map((t) => t.page!);
      expect(new Set(pages).size).toBe(pages.length);
      expect([...pages].sort((a, b) => a - b)).toEqual(pages);
      const header = ts[0].cells.filter((c) => c.row === 0).sort((a, b) => a.col - b.col).map((c) => squash(c.text));
      expect(header).toEqual(EXPECTED_HEADERS[plan]);
      if (file.endsWith(`${plan}.pdf`)) {
        // ruled with vertical merges: group cells span rows
        expect(ts.some((t) => t.cells.some((c) => c.rowSpan > 1))).toBe(true);
      }
    });

    it(`${file}: the first task is on the right page`, async () => {
      const doc = await read(full);
      const want = squash(gold.tasks[0].content);
      const page = narrative
        ? doc.blocks.find((b) => b.kind !== 'table' && squash(b.text).includes(want))?.page
        : tables(doc).find((t) => t.cells.some((c) => squash(c.text).includes(want)))?.page;
      expect(page).toBe(FIRST_TASK_PAGE[plan]);
    });
  }

  it('ruled tables: a merged group cell owns every row it spans, cut cells appear on both pages', async () => {
    const doc = await read(path.join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.pdf'));
    const first = tables(doc)[0];
    const group = first.cells.find((c) => squash(c.text) === '着力加强公开解读回应工作');
    expect(group).toBeDefined();
    expect(group!.row).toBe(1);
    expect(group!.rowSpan).toBe(first.rows - 1);
    // the same group continues at the top of page 2 as an empty box spanning the rows there
    const second = tables(doc)[1];
    const cont = second.cells.find((c) => c.row === 1 && c.col === group!.col)!;
    expect(cont.text).toBe('');
    expect(cont.rowSpan).toBe(second.rows - 1);
  });

  it('noborder tables: group text goes to the first row of its group, blanks below', async () => {
    const doc = await read(path.join(corpus, 'jiangmen-jianguan-2022-fengong', 'jiangmen-jianguan-2022-fengong.noborder.pdf'));
    const t = tables(doc)[0];
    const g = t.cells.find((c) => squash(c.text) === '一、优化政务公开工作基础')!;
    expect(g.row).toBe(1);
    // flattened: no spans; the rows the group covers are blank below it, the next group starts at row 4
    expect(t.cells.every((c) => c.rowSpan === 1)).toBe(true);
    const col0 = t.cells.filter((c) => c.col === g.col && c.row >= 1 && c.row <= 4).sort((a, b) => a.row - b.row);
    expect(col0.map((c) => squash(c.text).slice(0, 3))).toEqual(['一、优', '', '', '二、围']);
  });

  it('narrative: a paragraph cut by a page break is joined', async () => {
    const doc = await read(path.join(corpus, 'xinhui-kaifaqu-2018-narrative', 'xinhui-kaifaqu-2018-narrative.pdf'));
    const p = doc.blocks.find((b) => b.kind === 'paragraph' && b.text.startsWith('(三)推进环境保护信息公开'));
    expect(p).toBeDefined();
    expect(p!.kind === 'paragraph' && p!.text.endsWith('（规划建设环保办公室负责）')).toBe(true);
  });
});

describe('pdf reader on small fixtures', () => {
  it('a PDF with text but no table gives headings and paragraphs', async () => {
    const doc = await read(path.join(own, 'notable.pdf'));
    expect(tables(doc)).toEqual([]);
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: '某区2024年政务公开工作要点', page: 1 });
    const long = doc.blocks.find((b) => b.kind === 'paragraph' && b.text.startsWith('为深入贯彻落实'));
    // wrapped lines are one paragraph
    expect(long && long.kind === 'paragraph' && long.text.endsWith('而不会被拆成多个段落。')).toBe(true);
    expect(doc.blocks.map((b) => (b as { text: string }).text)).toContain('一、加强政策解读。');
  });

  it('rules drawn as thin filled rectangles under a scaled CTM; page number removed', async () => {
    const doc = await read(path.join(own, 'filled-rules.pdf'));
    const [t] = tables(doc);
    expect(t).toBeDefined();
    expect(t.rows).toBe(3);
    expect(t.cols).toBe(3);
    const group = t.cells.find((c) => c.text === 'Group A')!;
    expect(group).toMatchObject({ row: 1, col: 0, rowSpan: 2, colSpan: 1 });
    expect(t.cells.find((c) => c.row === 2 && c.col === 1)!.text).toBe('Answer requests');
    const texts = doc.blocks.filter((b) => b.kind !== 'table').map((b) => (b as { text: string }).text);
    expect(texts).toEqual(['Rules drawn as filled rectangles']);
  });

  it('a landscape page (portrait MediaBox, /Rotate 90, rotated CTM) reads upright', async () => {
    const doc = await read(path.join(own, 'rotated-landscape.pdf'));
    const [t] = tables(doc);
    expect(t).toBeDefined();
    expect(t.cells.find((c) => c.row === 0 && c.col === 1)!.text).toBe('Task');
    expect(t.cells.find((c) => c.text === 'Group A')).toMatchObject({ row: 1, col: 0, rowSpan: 2 });
    expect(t.cells.find((c) => c.row === 2 && c.col === 2)!.text).toBe('General office');
  });

  async function errorOf(file: string): Promise<InputError> {
    try {
      await readPdf(new Uint8Array(fs.readFileSync(file)));
    } catch (e) {
      return e as InputError;
    }
    throw new Error('expected an error');
  }

  it('encrypted PDF → one clear error', async () => {
    const e = await errorOf(path.join(own, 'encrypted.pdf'));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^encrypted PDF: /);
    expect(e.message).not.toMatch(/\n\s+at /);
  });

  it('truncated PDF → one clear error', async () => {
    const e = await errorOf(path.join(own, 'truncated.pdf'));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^corrupt or truncated PDF: /);
  });

  it('garbage after a %PDF- header → corrupt', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\nthis is not a pdf at all\n');
    await expect(readPdf(bytes)).rejects.toThrow(/^corrupt or truncated PDF: /);
    await expect(readPdf(new Uint8Array(0))).rejects.toBeInstanceOf(InputError);
  });

  it('scanned PDF (image only) → OCR is needed', async () => {
    const e = await errorOf(path.join(own, 'scanned.pdf'));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe('PDF has no text layer (scanned image?): OCR is needed');
  });

  it('does not detach the caller’s buffer', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(own, 'filled-rules.pdf')));
    await readPdf(bytes);
    expect(bytes.byteLength).toBeGreaterThan(0);
  });
});

describe('pdf text helpers', () => {
  it('removes spaces pdf.js puts between CJK glyphs, keeps them between Latin words', () => {
    expect(normalizeLine('各 镇 （ 街 、')).toBe('各镇（街、');
    expect(normalizeLine('新会区 2018 年政务公开')).toBe('新会区2018年政务公开');
    expect(normalizeLine('“ 1+1+9” 工作部署')).toBe('“1+1+9”工作部署');
    expect(normalizeLine('open  data portal')).toBe('open data portal');
    expect(normalizeLine('健康发展 and 保持稳定')).toBe('健康发展 and 保持稳定');
  });
  it('maps Kangxi radicals and compatibility ideographs to ordinary ideographs', () => {
    expect(normalizeLine('\u2F00\u2F45\u2F8F')).toBe('一方行');
    expect(normalizeLine('\uF900')).toBe('\u8C48');
  });
  it('joins wrapped lines: nothing between CJK, a space between Latin words', () => {
    expect(joinWrapped('政务公开', '工作要点')).toBe('政务公开工作要点');
    expect(joinWrapped('publish the', 'budget')).toBe('publish the budget');
    expect(joinWrapped('支持IPv6', '协议')).toBe('支持IPv6协议');
  });
  it('recognises page numbers and 续表 markers', () => {
    for (const s of ['- 2 -', '— 12 —', '第 2 页', '第2页 共6页', '3', '2 / 6']) expect(isPageNumber(s)).toBe(true);
    expect(isPageNumber('2018年')).toBe(false);
    for (const s of ['续表', '（续表）', '续表1', '(续上表)']) expect(isContinuedMarker(s)).toBe(true);
    expect(isContinuedMarker('续表的说明')).toBe(false);
  });
});

describe('pdf layout on synthetic pages (tables without rules)', () => {
  const run = textRun;
  const page = (n: number, runs: Run[]): PageData => ({ page: n, width: 595, height: 842, runs, segs: [] });
  // columns: 序号 x=80, 工作任务 x=130, 责任单位 x=400; rows 20pt apart, page number centred under the 工作任务 column
  const p1 = page(1, [
    run('序号', 80, 100),
    run('工作任务', 130, 100),
    run('责任单位', 400, 100),
    run('1', 86, 130),
    run('做好政府信息公开工作。', 130, 130),
    run('办公室', 400, 130),
    run('2', 86, 160),
    run('加强政策解读和回应。', 130, 160),
    run('各科室', 400, 160),
    run('3', 86, 780),
    run('规范依申请公开办理。', 130, 780),
    run('办公室', 400, 780),
    run('- 1 -', 200, 810),
  ]);
  const p2 = page(2, [
    run('某区政务公开工作要点', 200, 40), // running head in the top margin
    run('4', 86, 100),
    run('完善政府网站管理。', 130, 100),
    run('信息中心', 400, 100),
    run('5', 86, 130),
    run('推进基层政务公开。', 130, 130),
    run('各镇', 400, 130),
    run('- 2 -', 200, 810),
  ]);
  it('page numbers stay out of cells; a continued table without a repeated header is read under a running head', () => {
    const blocks = layoutDocument([p1, p2]);
    const ts = blocks.filter((b): b is TableBlock => b.kind === 'table');
    expect(ts.map((t) => t.page)).toEqual([1, 2]);
    const texts = ts.flatMap((t) => t.cells.map((c) => c.text));
    expect(texts.some((t) => /- \d -/.test(t))).toBe(false);
    expect(texts).not.toContain('某区政务公开工作要点');
    expect(ts[0].cells.filter((c) => c.row === 0).map((c) => c.text)).toEqual(['序号', '工作任务', '责任单位']);
    const second = ts[1];
    expect(second.origin).toBe('flattened');
    expect(second.cells.find((c) => c.text === '4')?.row).toBe(second.cells.find((c) => c.text === '信息中心')?.row);
    // the page numbers are gone from the text blocks too
    const paras = blocks.filter((b) => b.kind !== 'table').map((b) => (b as { text: string }).text);
    expect(paras.filter((t) => isPageNumber(t))).toEqual([]);
  });
});

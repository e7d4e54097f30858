import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readDocx } from '../src/readers/docx.js';
import { DEFAULT_ZIP_LIMITS } from '../src/readers/docx-zip.js';
import { formatNumber } from '../src/readers/docx-numbering.js';
import { buildGrid } from '../src/model/grid.js';
import { InputError } from '../src/model/document.js';
import type { Block, IntermediateDocument, TableBlock, TableCell } from '../src/model/document.js';
import { documentXml, makeDocx, makeZip, p, patchDeclaredSize, r, tbl, tc, tr } from './helpers/make-docx.js';

const corpus = join(__dirname, '..', 'fixtures', 'corpus');
const docxFiles = readdirSync(corpus).flatMap((d) =>
  readdirSync(join(corpus, d))
    .filter((f) => f.endsWith('.docx'))
    .map((f) => join(corpus, d, f)),
);

const tables = (doc: IntermediateDocument): TableBlock[] => doc.blocks.filter((b): b is TableBlock => b.kind === 'table');
const texts = (doc: IntermediateDocument): string[] => doc.blocks.filter((b) => b.kind !== 'table').map((b) => (b as { text: string }).text);
const cellAt = (t: TableBlock, row: number, col: number): TableCell | undefined => t.cells.find((c) => c.row === row && c.col === col);

/** Same whitespace rule on both sides: runs of whitespace → one space; hyphen variants Word emits. */
const norm = (s: string) => s.replace(/\u2011/g, '-').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();

async function expectInputError(promise: Promise<unknown>, code: string, message: RegExp): Promise<InputError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected an InputError').toBeInstanceOf(InputError);
  const e = caught as InputError;
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
  return e;
}

// ---------------------------------------------------------- mammoth side

interface MCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
}

/** Text of an HTML element with block children on their own lines (mammoth puts each w:p in a <p>). */
function htmlText(el: Element): string {
  const out: string[] = [];
  const rec = (n: AnyNode) => {
    if (n.type === 'text') out.push((n as unknown as { data: string }).data);
    else if (n.type === 'tag') {
      const e = n as Element;
      if (e.name === 'br') return void out.push('\n');
      out.push('\n');
      e.children.forEach(rec);
      out.push('\n');
    }
  };
  el.children.forEach(rec);
  return out.join('');
}

/** mammoth's grid, built independently of the reader from rowspan/colspan. */
function mammothTables(html: string): MCell[][] {
  const $ = load(html);
  const result: MCell[][] = [];
  $('table')
    .filter((_i, t) => $(t).parents('table').length === 0)
    .each((_i, table) => {
      const cells: MCell[] = [];
      const taken: boolean[][] = [];
      $(table)
        .children('thead, tbody')
        .children('tr')
        .add($(table).children('tr'))
        .each((row, trEl) => {
          taken[row] ??= [];
          let col = 0;
          $(trEl)
            .children('td, th')
            .each((_j, td) => {
              while (taken[row][col]) col++;
              const rowSpan = Number($(td).attr('rowspan') ?? 1);
              const colSpan = Number($(td).attr('colspan') ?? 1);
              for (let rr = row; rr < row + rowSpan; rr++) {
                taken[rr] ??= [];
                for (let cc = col; cc < col + colSpan; cc++) taken[rr][cc] = true;
              }
              cells.push({ row, col, rowSpan, colSpan, text: htmlText(td as Element) });
              col += colSpan;
            });
        });
      result.push(cells);
    });
  return result;
}

// ================================================================ corpus

describe('docx reader on the corpus', () => {
  it('has corpus docx files', () => {
    expect(docxFiles.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of docxFiles) {
    const name = file.split('/').pop()!;

    it(`every table cell equals mammoth's text and spans: ${name}`, async () => {
      const bytes = readFileSync(file);
      const doc = await readDocx(bytes, { fallback: 'never' });
      const html = (await mammoth.convertToHtml({ buffer: bytes })).value;
      const mt = mammothTables(html);
      const ours = tables(doc);
      expect(ours.length).toBe(mt.length);
      const diffs: string[] = [];
      ours.forEach((t, ti) => {
        const theirs = new Map(mt[ti].map((c) => [`${c.row},${c.col}`, c]));
        if (t.cells.length !== mt[ti].length) diffs.push(`table ${ti}: ${t.cells.length} cells, mammoth ${mt[ti].length}`);
        for (const c of t.cells) {
          const m = theirs.get(`${c.row},${c.col}`);
          if (!m) {
            diffs.push(`table ${ti} r${c.row}c${c.col}: no mammoth cell there (ours ${JSON.stringify(c.text.slice(0, 30))})`);
            continue;
          }
          if (norm(c.text) !== norm(m.text)) diffs.push(`table ${ti} r${c.row}c${c.col}: ours ${JSON.stringify(norm(c.text))} mammoth ${JSON.stringify(norm(m.text))}`);
          if (c.rowSpan !== m.rowSpan || c.colSpan !== m.colSpan) diffs.push(`table ${ti} r${c.row}c${c.col}: span ours ${c.rowSpan}x${c.colSpan} mammoth ${m.rowSpan}x${m.colSpan}`);
        }
      });
      if (diffs.length) console.log(`${name}: ${diffs.length} differences from mammoth\n  ${diffs.slice(0, 40).join('\n  ')}`);
      expect(diffs).toEqual([]);
    });

    it(`paragraph text outside tables equals mammoth's: ${name}`, async () => {
      const bytes = readFileSync(file);
      const doc = await readDocx(bytes, { fallback: 'never' });
      const $ = load((await mammoth.convertToHtml({ buffer: bytes })).value);
      const theirs = $('body')
        .children('p, h1, h2, h3, h4, h5, h6')
        .toArray()
        .map((e) => norm(htmlText(e as Element)))
        .filter((s) => s !== '');
      expect(texts(doc).map(norm)).toEqual(theirs);
    });

    it(`tiles the grid and reads without warnings: ${name}`, async () => {
      const doc = await readDocx(readFileSync(file), { fallback: 'never' });
      expect(doc.format).toBe('docx');
      expect(doc.warnings).toEqual([]);
      for (const t of tables(doc)) {
        expect(t.origin).toBe('grid');
        const grid = buildGrid(t);
        // Corpus tables have no short rows: every position has exactly one owner.
        for (const row of grid) for (const slot of row) expect(slot).not.toBeNull();
        const covered = t.cells.reduce((n, c) => n + c.rowSpan * c.colSpan, 0);
        expect(covered).toBe(t.rows * t.cols);
      }
    });
  }

  it('xinhui-qu: header row with 工作任务 over two columns, vertical merges in the group columns', async () => {
    const doc = await readDocx(readFileSync(join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.docx')));
    const [t] = tables(doc);
    expect(tables(doc)).toHaveLength(1);
    expect(t.cols).toBe(5);
    expect(t.rows).toBe(68);
    expect(t.headerRows).toEqual([0]);
    expect(cellAt(t, 0, 1)).toMatchObject({ text: '工作任务', colSpan: 2, rowSpan: 1 });
    expect(cellAt(t, 0, 3)?.text).toBe('具体要求');
    expect(cellAt(t, 1, 1)).toMatchObject({ text: '着力加强公开解读回应工作', rowSpan: 25 });
    expect(cellAt(t, 1, 2)).toMatchObject({ text: '围绕建设法治政府全面推进政务公开', rowSpan: 6 });
    const merged = t.cells.filter((c) => c.rowSpan > 1);
    expect(merged.some((c) => c.col === 1)).toBe(true);
    expect(merged.some((c) => c.col === 2)).toBe(true);
    // a unit cell shared by rows 1-2
    expect(cellAt(t, 1, 4)).toMatchObject({ rowSpan: 2 });
    // two paragraphs in one cell are joined with a line break
    expect(cellAt(t, 3, 4)?.text).toBe('区编办牵头，各镇（街、区），\n区政府各部门、各直属机构负责');
    expect(doc.blocks[0]).toMatchObject({ kind: 'paragraph', text: '新会区2018年政务公开工作要点分工方案', align: 'center' });
  });

  it('xinhui-qu nomerge: same grid, no merges, group text only in the first row of its group', async () => {
    const doc = await readDocx(readFileSync(join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.nomerge.docx')));
    const [t] = tables(doc);
    expect(t.rows).toBe(68);
    expect(t.cols).toBe(5);
    expect(t.headerRows).toEqual([0]);
    expect(cellAt(t, 0, 1)).toMatchObject({ text: '工作任务', colSpan: 2 });
    expect(t.cells.filter((c) => c.rowSpan > 1)).toEqual([]);
    expect(cellAt(t, 1, 1)?.text).toBe('着力加强公开解读回应工作');
    // the blank below is an empty cell of its own, not a merge
    expect(cellAt(t, 2, 1)).toMatchObject({ text: '', rowSpan: 1, colSpan: 1 });
  });

  it('jiangmen: section cells merged down column 0, items spanning two columns', async () => {
    const doc = await readDocx(readFileSync(join(corpus, 'jiangmen-jianguan-2022-fengong', 'jiangmen-jianguan-2022-fengong.docx')));
    const [t] = tables(doc);
    expect(t.cols).toBe(4);
    expect(cellAt(t, 1, 0)).toMatchObject({ text: '一、优化政务公开工作基础', rowSpan: 3 });
    expect(cellAt(t, 24, 1)).toMatchObject({ colSpan: 2 });
    expect(doc.blocks[0]).toMatchObject({ kind: 'paragraph', align: 'center', bold: true });
  });

  it('narrative docx: paragraphs only', async () => {
    const doc = await readDocx(readFileSync(join(corpus, 'xinhui-kaifaqu-2018-narrative', 'xinhui-kaifaqu-2018-narrative.docx')));
    expect(tables(doc)).toEqual([]);
    expect(texts(doc)).toContain('一、大力推进经济民生领域的信息公开');
  });

  it('mammoth fallback yields the same cells on the corpus, with a DOCX_FALLBACK warning', async () => {
    const bytes = readFileSync(join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.docx'));
    const direct = await readDocx(bytes, { fallback: 'never' });
    const fb = await readDocx(bytes, { fallback: 'always' });
    expect(fb.warnings.map((w) => w.code)).toEqual(['DOCX_FALLBACK']);
    const strip = (t: TableBlock) => t.cells.map((c) => ({ ...c, text: norm(c.text) }));
    expect(strip(tables(fb)[0])).toEqual(strip(tables(direct)[0]));
    expect(tables(fb)[0].headerRows).toEqual([0]);
  });
});

/** Rewrite word/document.xml (and optionally numbering.xml) of a docx. */
function rewriteDocx(bytes: Uint8Array, edit: (xml: string) => string, numbering?: string): Uint8Array {
  const files = unzipSync(bytes);
  files['word/document.xml'] = strToU8(edit(strFromU8(files['word/document.xml'])));
  if (numbering !== undefined) {
    const old = strFromU8(files['word/numbering.xml']);
    files['word/numbering.xml'] = strToU8(old.replace('</w:numbering>', `${numbering}</w:numbering>`));
  }
  return zipSync(files);
}

describe('docx reader on re-rendered corpus files (what Word itself writes)', () => {
  const qu = join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.docx');

  it('split runs, proofing marks, bookmarks, rendered page breaks, smart tags and hyperlinks change nothing', async () => {
    const original = await readDocx(readFileSync(qu));
    let n = 0;
    const noisy = rewriteDocx(readFileSync(qu), (xml) =>
      xml.replace(/<w:r>(<w:rPr>.*?<\/w:rPr>)<w:t xml:space="preserve">([^<]*)<\/w:t><\/w:r>/g, (_m, rPr: string, text: string) => {
        n++;
        const cut = Math.floor(text.length / 2);
        const a = `<w:r w:rsidR="00AB12CD">${rPr}<w:t>${text.slice(0, cut)}</w:t></w:r>`;
        const b = `<w:r>${rPr}<w:lastRenderedPageBreak/><w:t xml:space="preserve">${text.slice(cut)}</w:t></w:r>`;
        const mid = `<w:proofErr w:type="gramStart"/><w:bookmarkStart w:id="${n}" w:name="_Toc${n}"/><w:bookmarkEnd w:id="${n}"/><w:proofErr w:type="gramEnd"/>`;
        if (n % 3 === 0) return `<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName">${a}</w:smartTag>${mid}${b}`;
        if (n % 3 === 1) return `${a}${mid}<w:hyperlink w:anchor="_Toc${n}" w:history="1">${b}</w:hyperlink>`;
        return `${a}${mid}${b}`;
      }),
    );
    expect(n).toBeGreaterThan(100);
    expect(await readDocx(noisy, { fallback: 'never' })).toEqual(original);
  });

  it('headings and items numbered by Word (numbering.xml) read exactly like the typed numbers', async () => {
    const file = join(corpus, 'xinhui-kaifaqu-2018-narrative', 'xinhui-kaifaqu-2018-narrative.docx');
    const original = await readDocx(readFileSync(file));
    const numbering =
      '<w:abstractNum w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>' +
      '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>' +
      '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/></w:lvl>' +
      '</w:abstractNum><w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>';
    let headings = 0;
    let items = 0;
    const numbered = rewriteDocx(
      readFileSync(file),
      (xml) =>
        xml.replace(/<w:p>(.*?)<\/w:p>/g, (whole, inner: string) => {
          const level = /<w:t xml:space="preserve">[一二三四五六七八九十]+、/.test(inner) ? 0 : /<w:t xml:space="preserve">\([一二三四五六七八九十]+\)/.test(inner) ? 1 : -1;
          if (level < 0) return whole;
          if (level === 0) headings++;
          else items++;
          const stripped = inner
            .replace(/(<w:t xml:space="preserve">)(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))/, '$1')
            .replace('<w:pPr>', `<w:pPr><w:numPr><w:ilvl w:val="${level}"/><w:numId w:val="90"/></w:numPr>`);
          return `<w:p>${stripped}</w:p>`;
        }),
      numbering,
    );
    expect(headings).toBe(4);
    expect(items).toBeGreaterThan(10);
    expect(await readDocx(numbered, { fallback: 'never' })).toEqual(original);
  });
});

// ============================================================ edge cases

describe('docx reader: tables', () => {
  it('gridBefore/gridAfter: a late-starting row keeps its merges in the right grid column', async () => {
    const doc = await readDocx(
      makeDocx({
        body: tbl(3, [
          tr([tc('A'), tc('B'), tc('C')]),
          tr([tc('X', { vMerge: 'restart' }), tc('Y')], { gridBefore: 1 }),
          tr([tc('', { vMerge: 'continue' }), tc('Z')], { gridBefore: 1 }),
          tr([tc('P'), tc('Q')], { gridAfter: 1 }),
        ]),
      }),
    );
    const [t] = tables(doc);
    expect(t.rows).toBe(4);
    expect(t.cols).toBe(3);
    expect(cellAt(t, 1, 0)).toBeUndefined();
    expect(cellAt(t, 1, 1)).toMatchObject({ text: 'X', rowSpan: 2, colSpan: 1 });
    expect(cellAt(t, 1, 2)).toMatchObject({ text: 'Y', rowSpan: 1 });
    expect(cellAt(t, 2, 2)).toMatchObject({ text: 'Z' });
    expect(cellAt(t, 3, 0)?.text).toBe('P');
    expect(cellAt(t, 3, 1)?.text).toBe('Q');
    expect(cellAt(t, 3, 2)).toBeUndefined();
    const grid = buildGrid(t);
    expect(grid[1][0]).toBeNull();
    expect(grid[2][1]).toMatchObject({ coveredFromAbove: true });
    expect(grid[2][1]?.cell.text).toBe('X');
    expect(grid[3][2]).toBeNull();
  });

  it('why not mammoth: it ignores gridBefore and puts the late row\'s cells one column left', async () => {
    const bytes = makeDocx({
      // (without a styles.xml mammoth throws a TypeError on the named table style; our tables all name one)
      styles: '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>',
      body: tbl(3, [
        tr([tc('A'), tc('B'), tc('C')]),
        tr([tc('X', { vMerge: 'restart' }), tc('Y')], { gridBefore: 1 }),
        tr([tc('', { vMerge: 'continue' }), tc('Z')], { gridBefore: 1 }),
      ]),
    });
    const direct = tables(await readDocx(bytes, { fallback: 'never' }))[0];
    const viaMammoth = tables(await readDocx(bytes, { fallback: 'always' }))[0];
    expect(direct.cells.find((c) => c.text === 'X')).toMatchObject({ col: 1, rowSpan: 2 });
    expect(viaMammoth.cells.find((c) => c.text === 'X')?.col).toBe(0);
  });

  it('vMerge restart/continue with gridSpan; an empty cell is not a merge', async () => {
    const doc = await readDocx(
      makeDocx({
        body: tbl(4, [
          tr([tc('序号'), tc('工作任务', { span: 2 }), tc('责任单位')], { header: true }),
          tr([tc('1'), tc('组一', { vMerge: 'restart' }), tc('任务甲'), tc('办公室', { vMerge: 'restart' })]),
          tr([tc('2'), tc('', { vMerge: 'continue' }), tc('任务乙'), tc('', { vMerge: 'continue' })]),
          tr([tc('3'), tc('', { vMerge: 'continue' }), tc('任务丙'), tc('')]),
          tr([tc('合并', { span: 3, vMerge: 'restart' }), tc('x')]),
          tr([tc('', { span: 3, vMerge: 'continue' }), tc('y')]),
        ]),
      }),
    );
    const [t] = tables(doc);
    expect(t.headerRows).toEqual([0]);
    expect(cellAt(t, 0, 1)).toMatchObject({ text: '工作任务', colSpan: 2 });
    expect(cellAt(t, 1, 1)).toMatchObject({ text: '组一', rowSpan: 3 });
    expect(cellAt(t, 1, 3)).toMatchObject({ text: '办公室', rowSpan: 2 });
    expect(cellAt(t, 3, 3)).toMatchObject({ text: '', rowSpan: 1 });
    expect(cellAt(t, 4, 0)).toMatchObject({ text: '合并', rowSpan: 2, colSpan: 3 });
    expect(cellAt(t, 5, 3)?.text).toBe('y');
    expect(t.cells.reduce((n, c) => n + c.rowSpan * c.colSpan, 0)).toBe(t.rows * t.cols);
  });

  it('a continue cell with no cell above starts a cell of its own; a continue cell with text keeps it (warning)', async () => {
    const doc = await readDocx(
      makeDocx({
        body: tbl(2, [
          tr([tc('孤', { vMerge: 'continue' }), tc('a', { vMerge: 'restart' })]),
          tr([tc('b'), tc('补充', { vMerge: 'continue' })]),
        ]),
      }),
    );
    const [t] = tables(doc);
    expect(cellAt(t, 0, 0)).toMatchObject({ text: '孤', rowSpan: 1 });
    expect(cellAt(t, 0, 1)).toMatchObject({ text: 'a\n补充', rowSpan: 2 });
    expect(doc.warnings.map((w) => w.code)).toEqual(['DOCX_MERGED_TEXT']);
  });

  it('tblHeader: only the leading run of header rows counts', async () => {
    const doc = await readDocx(
      makeDocx({
        body: tbl(2, [
          tr([tc('h1'), tc('h1b')], { header: true }),
          tr([tc('h2'), tc('h2b')], { header: true }),
          tr([tc('1'), tc('x')]),
          tr([tc('stray'), tc('y')], { header: true }),
        ]),
      }),
    );
    expect(tables(doc)[0].headerRows).toEqual([0, 1]);
  });

  it('deleted rows (tracked) are dropped; rows stay contiguous', async () => {
    const doc = await readDocx(makeDocx({ body: tbl(1, [tr([tc('a')]), tr([tc('gone')], { deleted: true }), tr([tc('b')])]) }));
    const [t] = tables(doc);
    expect(t.rows).toBe(2);
    expect(t.cells.map((c) => [c.row, c.text])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
  });

  it('legacy hMerge joins cells horizontally', async () => {
    const cell = (text: string, h: string) => `<w:tc><w:tcPr><w:hMerge w:val="${h}"/></w:tcPr>${p(text)}</w:tc>`;
    const doc = await readDocx(makeDocx({ body: tbl(3, [tr([cell('AB', 'restart'), cell('', 'continue'), tc('C')])]) }));
    const [t] = tables(doc);
    expect(cellAt(t, 0, 0)).toMatchObject({ text: 'AB', colSpan: 2 });
    expect(cellAt(t, 0, 2)?.text).toBe('C');
  });

  it('does not merge consecutive tables; nested tables add their text to the outer cell', async () => {
    const inner = tbl(2, [tr([tc('内1'), tc('内2')])]);
    const doc = await readDocx(
      makeDocx({
        body: tbl(1, [tr([tc(['外', inner, '尾'])])]) + tbl(1, [tr([tc('第二表')])]),
      }),
    );
    const ts = tables(doc);
    expect(ts).toHaveLength(2);
    expect(ts[0].cells[0].text).toBe('外\n内1\n内2\n尾');
    expect(ts[1].cells[0].text).toBe('第二表');
  });

  it('no tblGrid: columns come from the rows', async () => {
    const doc = await readDocx(
      makeDocx({ body: `<w:tbl>${tr([tc('a'), tc('b', { span: 2 })])}${tr([tc('c')], { gridAfter: 2 })}</w:tbl>` }),
    );
    expect(tables(doc)[0]).toMatchObject({ rows: 2, cols: 3 });
  });
});

describe('docx reader: text', () => {
  it('collects run text from every container, once, and skips deletions and field codes', async () => {
    const hyperlink = `<w:hyperlink r:id="rId9">${r('链接')}</w:hyperlink>`;
    const smart = `<w:smartTag w:uri="urn:x" w:element="place">${r('新会')}</w:smartTag>`;
    const sdt = `<w:sdt><w:sdtPr><w:alias w:val="标签"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent>${r('控件')}</w:sdtContent></w:sdt>`;
    const ins = `<w:ins w:id="1" w:author="a" w:date="2020-01-01T00:00:00Z">${r('插入')}</w:ins>`;
    const del = `<w:del w:id="2" w:author="a" w:date="2020-01-01T00:00:00Z"><w:r><w:delText>删除</w:delText></w:r></w:del>`;
    const moveFrom = `<w:moveFrom w:id="3" w:author="a">${r('移走')}</w:moveFrom>`;
    const alt =
      '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>' +
      p('框') +
      '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>' +
      p('框') +
      '</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>';
    const altRun = `<mc:AlternateContent><mc:Choice Requires="w14">${r('甲')}</mc:Choice><mc:Fallback>${r('甲')}</mc:Fallback></mc:AlternateContent>`;
    const field =
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>' +
      '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r('7') + '<w:r><w:fldChar w:fldCharType="end"/></w:r>';
    const simple = `<w:fldSimple w:instr=" NUMPAGES ">${r('9')}</w:fldSimple>`;
    const hidden = r('隐藏', '<w:vanish/>');
    const breaks = '<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t></w:r>';
    const cellParas = p([hyperlink, smart, sdt, ins, del, moveFrom, altRun, field, simple, hidden]) + p(breaks);
    const doc = await readDocx(makeDocx({ body: tbl(2, [tr([`<w:tc>${cellParas}</w:tc>`, `<w:tc>${p(['前', alt, '后'])}</w:tc>`])]) }));
    const [t] = tables(doc);
    expect(t.cells[0].text).toBe('链接新会控件插入甲79\na b\nc-d');
    // text box content follows its anchor paragraph, once (Choice, not also Fallback)
    expect(t.cells[1].text).toBe('前后\n框');
  });

  it('decodes XML entities and character references in text and attribute values, astral ones included', async () => {
    const raw = (xml: string) => `<w:r><w:t>${xml}</w:t></w:r>`;
    const body = p([raw('A&amp;B&lt;C&gt;&quot;&apos;'), raw('&#x20000;&#19968;'), raw('&amp;nbsp;')]) + p('<w:r><w:sym w:font="SimSun" w:char="&#x34;E2D"/></w:r>');
    const doc = await readDocx(makeDocx({ body }));
    expect(texts(doc)).toEqual(['A&B<C>"\'\u{20000}一&nbsp;', '中']);
  });

  it('a document.xml that is not well-formed is read by the fallback, with a warning naming the XML error', async () => {
    const qu = join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.docx');
    let cut = false;
    const broken = rewriteDocx(readFileSync(qu), (xml) =>
      xml.replace('</w:p>', () => {
        if (cut) return '</w:p>';
        cut = true;
        return '</w:r></w:p>';
      }),
    );
    const doc = await readDocx(broken);
    expect(doc.warnings.map((w) => w.code)).toContain('DOCX_FALLBACK');
    expect(doc.warnings.find((w) => w.code === 'DOCX_FALLBACK')?.message).toMatch(/malformed XML/);
    await expect(readDocx(broken, { fallback: 'never' })).rejects.toThrow(/malformed XML/);
  });

  it('XML neither reader can read fails with one line naming both reasons', async () => {
    const qu = join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.docx');
    const broken = rewriteDocx(readFileSync(qu), (xml) => xml.replace('</w:body>', '<w:p></w:body>'));
    const err = await expectInputError(readDocx(broken), 'CORRUPT', /malformed XML.*mammoth:/);
    expect(err.message).not.toMatch(/[\n\t]/);
  });

  it('an unbalanced field (begin without end) does not swallow the following paragraphs', async () => {
    const broken = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>' + r('坏');
    const doc = await readDocx(makeDocx({ body: p(['前', broken]) + p('后续段落') + p('再后') }));
    expect(texts(doc)).toEqual(['前', '后续段落', '再后']);
  });

  it('text boxes in body paragraphs become paragraphs after their anchor', async () => {
    const alt =
      '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>' +
      p('附件1') +
      '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>' +
      p('附件1') +
      '</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>';
    const doc = await readDocx(makeDocx({ body: p(['正文', alt]) + p('下一段') }));
    expect(texts(doc)).toEqual(['正文', '附件1', '下一段']);
  });

  it('a table inside a text box stays a table, after its anchor paragraph', async () => {
    const box = (inner: string) =>
      `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>${inner}</w:txbxContent></wps:txbx></w:drawing></mc:Choice></mc:AlternateContent></w:r>`;
    const doc = await readDocx(makeDocx({ body: p(['锚点', box(p('框内标题') + tbl(2, [tr([tc('序号'), tc('任务')]), tr([tc('1'), tc('公开')])]))]) + p('后文') }));
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'paragraph', 'table', 'paragraph']);
    expect(texts(doc)).toEqual(['锚点', '框内标题', '后文']);
    expect(tables(doc)[0]).toMatchObject({ rows: 2, cols: 2 });
  });

  it('a docx with no table returns paragraphs and headings, centred/bold hints, no throw', async () => {
    const styles =
      '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>' +
      '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>' +
      '<w:style w:type="paragraph" w:styleId="20"><w:name w:val="标题 2"/><w:basedOn w:val="a"/></w:style>';
    const doc = await readDocx(
      makeDocx({
        styles,
        body:
          p(r('新会区2018年政务公开工作要点', '<w:b/>'), '<w:jc w:val="center"/>') +
          p('总体要求', '<w:pStyle w:val="1"/>') +
          p('小节', '<w:pStyle w:val="20"/>') +
          p('大纲级别段', '<w:outlineLvl w:val="2"/>') +
          p('') +
          p('正文段落', '<w:jc w:val="both"/>') +
          p('2018年9月26日', '<w:jc w:val="right"/>'),
      }),
    );
    expect(doc.blocks).toEqual<Block[]>([
      { kind: 'paragraph', text: '新会区2018年政务公开工作要点', align: 'center', bold: true },
      { kind: 'heading', level: 1, text: '总体要求' },
      { kind: 'heading', level: 2, text: '小节' },
      { kind: 'heading', level: 3, text: '大纲级别段' },
      { kind: 'paragraph', text: '正文段落' },
      { kind: 'paragraph', text: '2018年9月26日', align: 'right' },
    ]);
    expect(doc).toMatchObject({ format: 'docx', pages: null, encoding: null, warnings: [] });
  });

  it('reads a document whose WordprocessingML namespace uses another prefix', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><ns0:document xmlns:ns0="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      '<ns0:body><ns0:p><ns0:r><ns0:t>前缀</ns0:t></ns0:r></ns0:p><ns0:tbl><ns0:tr><ns0:tc><ns0:tcPr><ns0:gridSpan ns0:val="2"/></ns0:tcPr><ns0:p><ns0:r><ns0:t>格</ns0:t></ns0:r></ns0:p></ns0:tc></ns0:tr></ns0:tbl></ns0:body></ns0:document>';
    const doc = await readDocx(makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': xml }), { fallback: 'never' });
    expect(texts(doc)).toEqual(['前缀']);
    expect(tables(doc)[0].cells[0]).toMatchObject({ text: '格', colSpan: 2 });
  });

  it('warns when the content is in pictures or embedded objects', async () => {
    const pic =
      '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">' +
      '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>';
    const scan = await readDocx(makeDocx({ body: p(pic) + p(pic) + p('第1页') }));
    expect(scan.warnings.map((w) => w.code)).toEqual(['DOCX_IMAGES_ONLY']);
    const withText = await readDocx(makeDocx({ body: p(pic) + p('把公开透明作为政府工作的基本要求，坚持以公开为常态、不公开为例外。') }));
    expect(withText.warnings).toEqual([]);
    const ole = await readDocx(makeDocx({ body: p(['附表：', '<w:r><w:object><v:shape id="o1"><v:imagedata r:id="rId5"/></v:shape></w:object></w:r>']) }));
    expect(ole.warnings.map((w) => w.code)).toContain('DOCX_EMBEDDED_OBJECT');
  });

  it('decodes XML entities', async () => {
    const doc = await readDocx(makeDocx({ body: p('A & B <C> “引号”') }));
    expect(texts(doc)).toEqual(['A & B <C> “引号”']);
  });
});

describe('docx reader: automatic numbering', () => {
  const lvl = (ilvl: number, fmt: string, text: string, extra = '') =>
    `<w:lvl w:ilvl="${ilvl}"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/>${extra}<w:lvlJc w:val="left"/></w:lvl>`;
  const numbering =
    `<w:abstractNum w:abstractNumId="0">${lvl(0, 'chineseCounting', '%1、', '<w:pStyle w:val="1"/>')}${lvl(1, 'chineseCounting', '（%2）', '<w:pStyle w:val="2"/><w:suff w:val="nothing"/>')}${lvl(2, 'decimal', '%3.')}</w:abstractNum>` +
    '<w:abstractNum w:abstractNumId="1">' + lvl(0, 'decimalEnclosedCircle', '%1') + '</w:abstractNum>' +
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' +
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>' +
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>';
  const numPr = (numId: number, ilvl: number) => `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`;

  it('prepends generated labels (一、 （一） 1. ①) with per-level counters and restarts', async () => {
    const doc = await readDocx(
      makeDocx({
        numbering,
        body:
          p('大力推进经济民生领域的信息公开', numPr(1, 0)) +
          p('推进行业产业信息公开。', numPr(1, 1)) +
          p('推进应急信息公开。', numPr(1, 1)) +
          p('具体事项', numPr(1, 2)) +
          p('不编号的段落') +
          p('深入推进建设领域的信息公开', numPr(1, 0)) +
          p('积极推进决策公开。', numPr(1, 1)) +
          p('圈一', numPr(2, 0)) +
          p('圈二', numPr(2, 0)) +
          p('重新开始', numPr(3, 0)) +
          p('关掉编号', numPr(0, 0)),
      }),
    );
    expect(texts(doc)).toEqual([
      '一、大力推进经济民生领域的信息公开',
      '（一）推进行业产业信息公开。',
      '（二）推进应急信息公开。',
      '1.具体事项',
      '不编号的段落',
      '二、深入推进建设领域的信息公开',
      '（一）积极推进决策公开。',
      '①圈一',
      '②圈二',
      '①重新开始',
      '关掉编号',
    ]);
  });

  it('numbering inherited from heading styles (style-linked list), heading levels from styles', async () => {
    const styles =
      '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>' +
      '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>';
    const doc = await readDocx(
      makeDocx({
        numbering,
        styles,
        body:
          p('总体要求', '<w:pStyle w:val="1"/>') +
          p('工作目标', '<w:pStyle w:val="2"/>') +
          p('重点任务', '<w:pStyle w:val="1"/>') +
          p('公开解读', '<w:pStyle w:val="2"/>') +
          p('回应关切', '<w:pStyle w:val="2"/>'),
      }),
    );
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: '一、总体要求' },
      { kind: 'heading', level: 2, text: '（一）工作目标' },
      { kind: 'heading', level: 1, text: '二、重点任务' },
      { kind: 'heading', level: 2, text: '（一）公开解读' },
      { kind: 'heading', level: 2, text: '（二）回应关切' },
    ]);
  });

  it('bullets add no glyph', async () => {
    const bullets =
      '<w:abstractNum w:abstractNumId="5"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="7"><w:abstractNumId w:val="5"/></w:num>';
    const doc = await readDocx(makeDocx({ numbering: bullets, body: p('苹果', numPr(7, 0)) + p('香蕉', numPr(7, 0)) }));
    expect(texts(doc)).toEqual(['苹果', '香蕉']);
  });

  it('numbers paragraphs inside table cells too', async () => {
    const doc = await readDocx(makeDocx({ numbering, body: tbl(1, [tr([tc(p('甲', numPr(1, 2)))]), tr([tc(p('乙', numPr(1, 2)))])]) }));
    expect(tables(doc)[0].cells.map((c) => c.text)).toEqual(['1.甲', '2.乙']);
  });

  it('formats Word number formats', () => {
    expect([1, 2, 10, 11, 19, 20, 21, 99].map((n) => formatNumber(n, 'chineseCounting'))).toEqual([
      '一', '二', '十', '十一', '十九', '二十', '二十一', '九十九',
    ]);
    expect([100, 105, 110, 1001].map((n) => formatNumber(n, 'chineseCountingThousand'))).toEqual(['一百', '一百零五', '一百一十', '一千零一']);
    expect(formatNumber(3, 'ideographTraditional')).toBe('丙');
    expect(formatNumber(11, 'chineseLegalSimplified')).toBe('壹拾壹');
    expect(formatNumber(3, 'decimalEnclosedCircle')).toBe('③');
    expect(formatNumber(2, 'decimalEnclosedParen')).toBe('⑵');
    expect(formatNumber(27, 'upperLetter')).toBe('AA');
    expect(formatNumber(2, 'lowerLetter')).toBe('b');
    expect(formatNumber(4, 'lowerRoman')).toBe('iv');
    expect(formatNumber(14, 'upperRoman')).toBe('XIV');
    expect(formatNumber(5, 'decimalZero')).toBe('05');
    expect(formatNumber(12, 'decimalFullWidth')).toBe('１２');
  });
});

describe('docx reader: imported content (altChunk)', () => {
  const rels = (target: string) =>
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="htmlChunk" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="${target}"/>` +
    '</Relationships>';
  const html =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>' +
    '<p>新会区2018年政务公开工作要点分工方案</p>' +
    '<table border="1"><tr><th>序号</th><th colspan="2">工作任务</th><th>责任单位</th></tr>' +
    '<tr><td>1</td><td rowspan="2">着力加强公开解读回应工作</td><td>把公开透明作为基本要求。</td><td>区编办负责</td></tr>' +
    '<tr><td>2</td><td>制定出台政策文件。</td><td>各镇负责</td></tr></table></body></html>';
  const qp = (s: string) =>
    Array.from(Buffer.from(s, 'utf8'))
      .map((b) => (b >= 0x21 && b <= 0x7e && b !== 0x3d ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`))
      .join('')
      .replace(/(.{70})/g, '$1=\r\n');
  const mht =
    'MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n    type="text/html";\r\n    boundary="----=mhtDocumentPart"\r\n\r\n\r\n' +
    '------=mhtDocumentPart\r\nContent-Type: text/html;\r\n    charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n' +
    'Content-Location: file:///C:/fake/document.html\r\n\r\n' + qp(html) + '\r\n\r\n------=mhtDocumentPart--\r\n';

  const check = (doc: IntermediateDocument) => {
    const [t] = tables(doc);
    expect(t).toBeDefined();
    expect(texts(doc)).toContain('新会区2018年政务公开工作要点分工方案');
    expect(t.cells.find((c) => c.text === '工作任务')).toMatchObject({ colSpan: 2 });
    expect(t.cells.find((c) => c.text === '着力加强公开解读回应工作')).toMatchObject({ rowSpan: 2 });
  };

  it('an "export to Word" docx whose body is one MHT chunk (html-docx-js style) reads the plan inside', async () => {
    const doc = await readDocx(
      makeDocx({
        body: '<w:altChunk r:id="htmlChunk"/><w:sectPr/>',
        extra: { 'word/_rels/document.xml.rels': rels('/afchunk.mht'), 'afchunk.mht': mht },
      }),
    );
    check(doc);
    expect(doc.warnings).toEqual([]);
  });

  it('an HTML chunk lands where it stands between Word paragraphs', async () => {
    const doc = await readDocx(
      makeDocx({
        body: p('前言') + '<w:altChunk r:id="htmlChunk"/>' + p('结尾'),
        extra: { 'word/_rels/document.xml.rels': rels('chunks/part1.html'), 'word/chunks/part1.html': html },
      }),
    );
    check(doc);
    const t = texts(doc);
    expect(t[0]).toBe('前言');
    expect(t[t.length - 1]).toBe('结尾');
    expect(doc.blocks.findIndex((b) => b.kind === 'table')).toBeLessThan(doc.blocks.length - 1);
  });

  it('a missing or unreadable chunk is a warning, not a failure', async () => {
    const doc = await readDocx(makeDocx({ body: p('正文') + '<w:altChunk r:id="htmlChunk"/>', extra: { 'word/_rels/document.xml.rels': rels('gone.html') } }));
    expect(texts(doc)).toEqual(['正文']);
    expect(doc.warnings.map((w) => w.code)).toEqual(['DOCX_ALTCHUNK']);
    const rtf = await readDocx(
      makeDocx({ body: '<w:altChunk r:id="htmlChunk"/>', extra: { 'word/_rels/document.xml.rels': rels('c.rtf'), 'word/c.rtf': '{\\rtf1 hi}' } }),
    );
    expect(rtf.warnings.map((w) => w.code)).toEqual(['DOCX_ALTCHUNK']);
  });
});

// ================================================================ errors

describe('docx reader: bad input', () => {
  it('a zip of something else: not a Word document, saying what it looks like', async () => {
    const e = await expectInputError(
      readDocx(makeZip({ 'readme.txt': 'hello', 'data/table.csv': 'a,b\n1,2' })),
      'NOT_DOCX',
      /^not a Word document: zip has no word\/document\.xml \(looks like a plain zip archive of 2 file\(s\): readme\.txt, table\.csv\)$/,
    );
    expect(e.stack).toBeDefined();
    await expectInputError(readDocx(makeZip({ 'xl/workbook.xml': '<workbook/>' })), 'NOT_DOCX', /looks like an Excel workbook/);
    await expectInputError(readDocx(makeZip({ 'plans/a.docx': 'x', 'plans/b.pdf': 'y' })), 'NOT_DOCX', /archive of 2 file\(s\) \(a\.docx, b\.pdf\); unzip it/);
    await expectInputError(readDocx(zipSync({})), 'NOT_DOCX', /looks like an empty zip archive/);
  });

  it('names the files of a zip written by a Chinese archiver (GBK names, no UTF-8 flag)', async () => {
    const zip = new Uint8Array(makeZip({ 'abcd.docx': 'x' }));
    const gbk = new Uint8Array([0xbc, 0xc6, 0xbb, 0xae, 0x2e, 0x64, 0x6f, 0x63, 0x78]); // 计划.docx in GBK
    const ascii = strToU8('abcd.docx');
    for (let i = 0; i + ascii.length <= zip.length; i++) {
      if (ascii.every((b, k) => zip[i + k] === b)) zip.set(gbk, i);
    }
    await expectInputError(readDocx(zip), 'NOT_DOCX', /archive of 1 file\(s\) \(计划\.docx\)/);
  });

  it('a truncated zip: corrupt docx', async () => {
    const whole = readFileSync(docxFiles[0]);
    await expectInputError(readDocx(whole.subarray(0, Math.floor(whole.length / 2))), 'CORRUPT', /^corrupt docx: zip central directory not found/);
    await expectInputError(readDocx(Buffer.from('PK\x03\x04 not really')), 'CORRUPT', /^corrupt docx: /);
  });

  it('damaged deflate data in word/document.xml: corrupt docx, never a raw exception', async () => {
    const zip = makeDocx({ body: p('这是一段足够长的正文，用来让压缩数据有一定的长度。'.repeat(50)) });
    const bad = new Uint8Array(zip);
    // the document entry's data starts after its local header; scribble over it
    const name = strToU8('word/document.xml');
    let at = -1;
    for (let i = 0; i < bad.length - 30; i++) {
      if (bad[i] === 0x50 && bad[i + 1] === 0x4b && bad[i + 2] === 3 && bad[i + 3] === 4 && bad[i + 26] === name.length && bad.subarray(i + 30, i + 30 + name.length).every((b, k) => b === name[k])) at = i + 30 + name.length;
    }
    expect(at).toBeGreaterThan(0);
    for (let k = at + 5; k < at + 60; k++) bad[k] = 0xff;
    await expectInputError(readDocx(bad), 'CORRUPT', /^corrupt docx: /);
  });

  it('a password-protected docx (OLE2 with EncryptionInfo): clear message', async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
      Buffer.from('EncryptionInfo', 'utf16le'),
      Buffer.alloc(64),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    await expectInputError(readDocx(ole), 'ENCRYPTED', /^encrypted\/password-protected docx is not supported/);
    const doc = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    await expectInputError(readDocx(doc), 'UNSUPPORTED', /legacy OLE2/);
  });

  it('a zip bomb (highly compressible large entry) is refused before inflating', async () => {
    // 20 MB of whitespace after the root element: well-formed, ~1000:1 compression
    const huge = documentXml(p('x')) + ' '.repeat(20 * 1024 * 1024);
    const bomb = zipSync({ 'word/document.xml': strToU8(huge) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const e = await expectInputError(readDocx(bomb), 'ZIP_BOMB', /^docx rejected: word\/document\.xml would unpack from \d+ bytes to 20 MB \(ratio \d+:1, limit 200:1\); possible zip bomb$/);
    expect(e.message).toMatch(/ratio/);
  });

  it('declared sizes are checked before any inflating (a 3.9 GB claim never allocates)', async () => {
    const zip = patchDeclaredSize(makeDocx({ body: p('正文') }), 'word/document.xml', 0xf0000000);
    await expectInputError(readDocx(zip), 'ZIP_BOMB', /possible zip bomb/);
  });

  it('total cap on the parts we inflate', async () => {
    const zip = makeDocx({ body: p('正文'.repeat(1000)) });
    await expectInputError(readDocx(zip, { limits: { ...DEFAULT_ZIP_LIMITS, maxInflateTotal: 1000 } }), 'ZIP_BOMB', /limit 0 MB|possible zip bomb/);
    // an entry we never inflate (a picture, or a damaged thumbnail entry claiming 3.9 GB) is not held against the file
    const pic = patchDeclaredSize(makeDocx({ body: p('正文'), extra: { 'word/media/image1.png': new Uint8Array(2048) } }), 'word/media/image1.png', 0xf0000000);
    expect(texts(await readDocx(pic))).toEqual(['正文']);
  });

  it('a document.xml neither reader understands: direct reader fails, mammoth fallback fails, one clear error', async () => {
    const odd = makeZip({
      '[Content_Types].xml': '<Types/>',
      'word/document.xml': '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"></w:document>',
    });
    await expect(readDocx(odd, { fallback: 'never' })).rejects.toThrow(/no w:body/);
    await expectInputError(readDocx(odd), 'CORRUPT', /^corrupt docx: cannot read word\/document\.xml/);
  });
});

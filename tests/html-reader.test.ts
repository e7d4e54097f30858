import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readHtml, declaredCharset, cleanChromeLine } from '../src/readers/html.js';
import type { Block, IntermediateDocument, TableBlock } from '../src/model/document.js';
import { InputError } from '../src/model/document.js';
import { buildGrid } from '../src/model/grid.js';

const root = join(__dirname, '..');
const corpus = join(root, 'fixtures', 'corpus');
const htmlFiles = readdirSync(corpus).flatMap((d) =>
  readdirSync(join(corpus, d))
    .filter((f) => f.endsWith('.html'))
    .map((f) => join(corpus, d, f)),
);

const CHROME_WORDS = [
  '分享到', 'ICP备', '公网安备', '网站地图', '版权所有', '网站标识码', '主办单位', '技术支持', '当前位置', '打印本页',
  '关闭窗口', '浏览次数', '字体', '欢迎访问', '无障碍浏览', '相关链接', 'doZoom', '_bd_share_config', '首页 >', '请输入关键词',
];

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (html: string): Promise<IntermediateDocument> => readHtml(enc(html));
const tables = (d: IntermediateDocument): TableBlock[] => d.blocks.filter((b): b is TableBlock => b.kind === 'table');
const texts = (d: IntermediateDocument): string[] => d.blocks.filter((b) => b.kind !== 'table').map((b) => (b as { text: string }).text);
const cellAt = (t: TableBlock, r: number, c: number) => t.cells.find((x) => x.row === r && x.col === c);
const blockText = (b: Block): string => (b.kind === 'table' ? b.cells.map((c) => c.text).join('\n') : b.text);
const page = (body: string, head = '<meta charset="utf-8"><title>测试页面_网站</title>'): string =>
  `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;

describe('readHtml on the corpus pages', () => {
  it('finds the corpus html files', () => {
    expect(htmlFiles.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of htmlFiles) {
    const name = file.split('/').pop()!;
    it(`${name}: one data table with a 序号/工作任务 header, or the narrative items`, async () => {
      const doc = await readHtml(readFileSync(file));
      expect(doc.format).toBe('html');
      expect(doc.blocks[0].kind).toBe('heading');
      const ts = tables(doc);
      if (name.includes('narrative')) {
        expect(ts).toHaveLength(0);
        const items = texts(doc).filter((t) => /^[(（][一二三四五六七八九十]+[)）]/.test(t));
        const gold = JSON.parse(readFileSync(file + '.gold.json', 'utf8')) as { tasks: unknown[] };
        expect(items.length).toBe(gold.tasks.length);
        expect(texts(doc)).toContain('一、大力推进经济民生领域的信息公开');
      } else {
        expect(ts).toHaveLength(1);
        const t = ts[0];
        const first = t.cells.filter((c) => c.row === 0).map((c) => c.text).join('|');
        expect(first).toMatch(/序号|工作任务/);
        expect(t.origin).toBe('grid');
        // Every grid slot is owned (the corpus tables are complete rectangles).
        const grid = buildGrid(t);
        expect(grid.every((row) => row.every((s) => s !== null))).toBe(true);
        const gold = JSON.parse(readFileSync(file + '.gold.json', 'utf8')) as { tasks: unknown[] };
        expect(t.rows - 1).toBe(gold.tasks.length);
      }
    });

    it(`${name}: no site chrome in any block`, async () => {
      const doc = await readHtml(readFileSync(file));
      for (const b of doc.blocks) {
        const t = blockText(b);
        for (const w of CHROME_WORDS) expect(t, `${w} in ${t}`).not.toContain(w);
      }
    });

    it(`${name}: article metadata lines survive`, async () => {
      const doc = await readHtml(readFileSync(file));
      const all = texts(doc);
      expect(all).toContain('公开方式：主动公开');
      expect(all.some((t) => t.startsWith('发布日期：'))).toBe(true);
    });
  }

  for (const file of htmlFiles.filter((f) => f.endsWith('.gbk.html'))) {
    const utf8 = file.replace('.gbk.html', '.html');
    it(`${file.split('/').pop()} decodes to the same blocks as the UTF-8 page`, async () => {
      expect(existsSync(utf8)).toBe(true);
      const gbk = await readHtml(readFileSync(file));
      const u = await readHtml(readFileSync(utf8));
      expect(gbk.encoding).toBe('gb18030');
      expect(u.encoding).toBe('utf-8');
      expect(gbk.blocks).toEqual(u.blocks);
    });
  }

  it('the jiangmen page keeps 文号 and signature lines as paragraphs', async () => {
    const file = htmlFiles.find((f) => f.endsWith('jiangmen-jianguan-2022-fengong.html'));
    if (!file) return;
    const all = texts(await readHtml(readFileSync(file)));
    expect(all).toContain('江建管〔2022〕39号');
    expect(all).toContain('2022年11月23日');
    expect(all).toContain('发布日期：2022-11-23　　来源：江门市政府投资工程建设管理中心');
  });
});

describe('readHtml tables', () => {
  it('places cells by rowspan/colspan in the first free column', async () => {
    const doc = await read(page(`<table>
      <tr><td>序号</td><td colspan="2">工作任务</td><td>责任单位</td></tr>
      <tr><td>1</td><td rowspan="3">一、组</td><td>任务甲</td><td rowspan="2">办公室</td></tr>
      <tr><td>2</td><td>任务乙</td></tr>
      <tr><td>3</td><td>任务丙</td><td>财政局</td></tr>
    </table>`));
    const [t] = tables(doc);
    expect(t).toMatchObject({ rows: 4, cols: 4, origin: 'grid' });
    expect(cellAt(t, 0, 1)).toMatchObject({ colSpan: 2, text: '工作任务' });
    expect(cellAt(t, 0, 3)?.text).toBe('责任单位');
    expect(cellAt(t, 1, 1)).toMatchObject({ rowSpan: 3, text: '一、组' });
    expect(cellAt(t, 1, 3)).toMatchObject({ rowSpan: 2, text: '办公室' });
    // Row 2: "2" at col 0, col 1 covered from above, "任务乙" at col 2, col 3 covered.
    expect(cellAt(t, 2, 0)?.text).toBe('2');
    expect(cellAt(t, 2, 2)?.text).toBe('任务乙');
    expect(t.cells.filter((c) => c.row === 2)).toHaveLength(2);
    expect(cellAt(t, 3, 2)?.text).toBe('任务丙');
    expect(cellAt(t, 3, 3)?.text).toBe('财政局');
    const grid = buildGrid(t);
    expect(grid[3][1]?.cell.text).toBe('一、组');
    expect(grid[3][1]?.coveredFromAbove).toBe(true);
  });

  it('a row whose leading cells are covered starts later', async () => {
    const doc = await read(page(`<table>
      <tr><td>组别</td><td>序号</td><td>工作任务</td></tr>
      <tr><td rowspan="2">一组</td><td>1</td><td>甲</td></tr>
      <tr><td>2</td><td>乙</td></tr>
    </table>`));
    const [t] = tables(doc);
    expect(cellAt(t, 2, 1)?.text).toBe('2');
    expect(cellAt(t, 2, 2)?.text).toBe('乙');
    expect(cellAt(t, 2, 0)).toBeUndefined();
  });

  it('old portal markup: upper-case tags, no </td> </tr> </p>, no <html>/<body>, <tbody> only sometimes', async () => {
    const html = `<TITLE>某区2019年政务公开工作任务分工</TITLE>
<DIV class=content><P>某区2019年政务公开工作任务分工
<TABLE border=1><TBODY>
<TR><TD>序号<TD>工作任务<TD>责任单位
<TR><TD>1<TD><P>推进决策公开<P>（一）重大决策预公开<TD>区府办
</TBODY><TR><TD>2<TD>推进政策解读&nbsp;<BR>和回应<TD>各镇（街）、区直各单位
<TR><TD>3<TD><P>第三项<TR><TD>4<TD><FONT>第四项<TD>区政数局
</TABLE><P>附件：无</DIV>`;
    const doc = await read(html);
    const [t] = tables(doc);
    expect(t).toMatchObject({ rows: 5, cols: 3 });
    expect(cellAt(t, 1, 1)?.text).toBe('推进决策公开\n（一）重大决策预公开');
    expect(cellAt(t, 3, 1)?.text).toBe('第三项');
    expect(cellAt(t, 4, 1)?.text).toBe('第四项');
    expect(cellAt(t, 4, 2)?.text).toBe('区政数局');
    expect(cellAt(t, 2, 1)?.text).toBe('推进政策解读\n和回应');
    expect(cellAt(t, 2, 2)?.text).toBe('各镇（街）、区直各单位');
    expect(doc.blocks.some((b) => b.kind !== 'table' && b.text === '附件：无')).toBe(true);
  });

  it('a long table of unclosed old markup (thousands of <tr><td><p> never closed) keeps every row', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `<TR><TD>${i + 1}<TD><P>任务${i + 1}<TD>办公室`).join('\n');
    const doc = await read(`<TABLE><TR><TD>序号<TD>工作任务<TD>责任单位\n${rows}</TABLE>`);
    const [t] = tables(doc);
    expect(t.rows).toBe(3001);
    expect(cellAt(t, 3000, 1)?.text).toBe('任务3000');
    expect(cellAt(t, 3000, 2)?.text).toBe('办公室');
  });

  it('clamps a rowspan that runs past the end of the table, and rowspan="0"', async () => {
    const doc = await read(page(`<table>
      <tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>
      <tr><td>1</td><td>甲</td><td rowspan="9">办公室</td></tr>
      <tr><td>2</td><td>乙</td></tr>
      <tr><td rowspan="0">备注</td><td>丙</td></tr>
    </table>`));
    const [t] = tables(doc);
    expect(t.rows).toBe(4);
    expect(cellAt(t, 1, 2)?.rowSpan).toBe(3);
    expect(cellAt(t, 3, 0)?.rowSpan).toBe(1);
    expect(cellAt(t, 3, 1)?.text).toBe('丙');
  });

  it('drops trailing rows that have no cells of their own', async () => {
    const doc = await read(page(`<table>
      <tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>
      <tr><td>1</td><td>甲</td><td rowspan="3">办公室</td></tr>
      <tr></tr><tr></tr>
    </table>`));
    const [t] = tables(doc);
    expect(t.rows).toBe(2);
    expect(cellAt(t, 1, 2)?.rowSpan).toBe(1);
  });

  it('treats colspan="0", negative and garbage spans as 1', async () => {
    const doc = await read(page(`<table>
      <tr><td colspan="0">序号</td><td colspan="abc">工作任务</td><td rowspan="-2">责任单位</td></tr>
      <tr><td>1</td><td colspan="">甲</td><td>办公室</td></tr>
    </table>`));
    const [t] = tables(doc);
    expect(t).toMatchObject({ rows: 2, cols: 3 });
    for (const c of t.cells) expect([c.rowSpan, c.colSpan]).toEqual([1, 1]);
    expect(cellAt(t, 0, 2)?.text).toBe('责任单位');
  });

  it('a trailing colspan wider than the table does not invent columns', async () => {
    const doc = await read(page(`<table>
      <tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>
      <tr><td colspan="99">一、重点工作</td></tr>
      <tr><td>1</td><td>甲</td><td>办公室</td></tr>
    </table>`));
    const [t] = tables(doc);
    expect(t.cols).toBe(3);
    expect(cellAt(t, 1, 0)?.colSpan).toBe(3);
  });

  it('<br>, <p> and <div> inside cells become line breaks; spaces and &nbsp; collapse', async () => {
    const doc = await read(page(`<table>
      <tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>
      <tr><td> 1 </td><td>第一行<br>第二行<br/><br>第三行</td>
          <td><p>区编办牵头，各镇（街、区），</p><p>区政府各部门&nbsp;&nbsp; 负责</p><div><span>配合</span>：<b>财政局</b></div></td></tr>
    </table>`));
    const [t] = tables(doc);
    expect(cellAt(t, 1, 0)?.text).toBe('1');
    expect(cellAt(t, 1, 1)?.text).toBe('第一行\n第二行\n第三行');
    expect(cellAt(t, 1, 2)?.text).toBe('区编办牵头，各镇（街、区），\n区政府各部门 负责\n配合：财政局');
  });

  it('keeps an empty cell as an empty cell', async () => {
    const doc = await read(page(`<table>
      <tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>
      <tr><td>1</td><td>甲</td><td></td></tr>
    </table>`));
    const [t] = tables(doc);
    expect(cellAt(t, 1, 2)).toMatchObject({ text: '', rowSpan: 1, colSpan: 1 });
  });

  it('marks <thead> rows as headerRows', async () => {
    const doc = await read(page(`<table>
      <thead><tr><th rowspan="2">序号</th><th colspan="2">责任单位</th></tr><tr><th>牵头单位</th><th>配合单位</th></tr></thead>
      <tbody><tr><td>1</td><td>办公室</td><td>各科室</td></tr></tbody>
    </table>`));
    const [t] = tables(doc);
    expect(t.headerRows).toEqual([0, 1]);
    expect(cellAt(t, 1, 1)?.text).toBe('牵头单位');
    expect(cellAt(t, 1, 2)?.text).toBe('配合单位');
    expect(cellAt(t, 2, 0)?.text).toBe('1');
  });

  it('leading rows of <th> cells are header rows too', async () => {
    const doc = await read(page(`<table>
      <tr><th>序号</th><th>工作任务</th><th>责任单位</th></tr>
      <tr><td>1</td><td>甲</td><td>办公室</td></tr>
      <tr><th>2</th><td>乙</td><td>财政局</td></tr>
    </table>`));
    expect(tables(doc)[0].headerRows).toEqual([0]);
  });

  it('walks through a layout table wrapping the page and emits the nested data table', async () => {
    const doc = await read(page(`
      <table width="100%"><tr><td class="logo">某某区人民政府门户网站</td></tr>
      <tr><td><table class="navbar"><tr><td><a href="/">首页</a></td><td><a href="/x">政务公开</a></td></tr></table></td></tr>
      <tr><td>
        <table width="960"><tr>
          <td width="200" valign="top"><div class="left-menu"><ul><li>通知公告</li><li>政策文件</li></ul></div></td>
          <td valign="top">
            <div class="title"><h2>某某区2023年政务公开工作要点分工方案</h2></div>
            <p>一、总体要求</p>
            <p>根据上级部署，结合我区实际，制定本方案。</p>
            <table border="1">
              <tr><td>序号</td><td>工作任务</td><td>牵头单位</td></tr>
              <tr><td>1</td><td>推进决策公开。</td><td>区司法局</td></tr>
              <tr><td>2</td><td>做好政策解读。</td><td>区政府办</td></tr>
            </table>
            <p>某某区人民政府办公室</p>
          </td></tr></table>
      </td></tr>
      <tr><td class="foot">版权所有：某某区人民政府 粤ICP备12345678号</td></tr></table>`));
    const ts = tables(doc);
    expect(ts).toHaveLength(1);
    expect(ts[0]).toMatchObject({ rows: 3, cols: 3 });
    expect(cellAt(ts[0], 0, 0)?.text).toBe('序号');
    const kinds = doc.blocks.map((b) => (b.kind === 'table' ? 'T' : blockText(b)));
    const iTitle = kinds.indexOf('某某区2023年政务公开工作要点分工方案');
    const iTable = kinds.indexOf('T');
    expect(iTitle).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf('一、总体要求')).toBeGreaterThan(iTitle);
    expect(iTable).toBeGreaterThan(kinds.indexOf('根据上级部署，结合我区实际，制定本方案。'));
    expect(kinds.indexOf('某某区人民政府办公室')).toBeGreaterThan(iTable);
    for (const b of doc.blocks) expect(blockText(b)).not.toMatch(/版权所有|ICP备/);
  });

  it('a real grid with a small table inside one cell stays a data table (inner cells become lines)', async () => {
    const doc = await read(page(`<div class="content"><table>
      <tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>
      <tr><td>1</td><td>推进决策公开。</td><td><table><tr><td>牵头：市司法局</td></tr><tr><td>配合：各区政府</td></tr></table></td></tr>
      <tr><td>2</td><td>做好政策解读。</td><td>市政府办公室</td></tr>
      <tr><td>3</td><td>回应社会关切。</td><td>市政府办公室</td></tr>
      <tr><td>4</td><td>加强平台建设。</td><td>市政数局</td></tr>
      </table></div>`));
    const ts = tables(doc);
    expect(ts).toHaveLength(1);
    expect(ts[0]).toMatchObject({ rows: 5, cols: 3 });
    expect(cellAt(ts[0], 1, 2)?.text).toBe('牵头：市司法局\n配合：各区政府');
  });

  it('a table holding a long multi-paragraph article is layout, not data', async () => {
    const para = '为深入贯彻落实政务公开工作要求，进一步提升政务公开质量和实效，现就有关工作安排如下，请各单位认真抓好落实。';
    const doc = await read(page(`<table><tr><td width="150">栏目</td><td>
      <p>${para}</p><p>（一）${para}</p><p>（二）${para}</p><p>（三）${para}</p></td></tr></table>`));
    expect(tables(doc)).toHaveLength(0);
    expect(texts(doc)).toContain(`（一）${para}`);
  });

  it('a small label/value metadata table reads as lines', async () => {
    const doc = await read(page(`<div class="content"><table>
      <tr><td>索引号：</td><td>11440700/2022-00123</td><td>发布机构：</td><td>江门市人民政府办公室</td></tr>
      <tr><td>发文字号：</td><td>江府办〔2022〕7号</td><td>发布日期：</td><td>2022-03-01</td></tr>
      </table><h1>江门市2022年政务公开工作要点</h1><p>各县（市、区）人民政府，市政府各部门、各直属机构：现将要点印发给你们。</p></div>`));
    expect(tables(doc)).toHaveLength(0);
    expect(texts(doc).slice(0, 4)).toEqual(['索引号：11440700/2022-00123', '发布机构：江门市人民政府办公室', '发文字号：江府办〔2022〕7号', '发布日期：2022-03-01']);
  });
});

describe('readHtml chrome and containers', () => {
  it('removes script, style, noscript, nav, header, footer, iframe, form and chrome class names', async () => {
    const doc = await read(page(`
      <header><div>某某市人民政府</div></header>
      <nav><a href="/">首页</a><a href="/a">机构概况</a></nav>
      <div id="breadcrumb">当前位置：首页 &gt; 政务公开</div>
      <form><input value="搜索"><button>搜索</button></form>
      <div class="sidebar">热点专题</div>
      <script>var a = "脚本文字";</script><style>.x{content:"样式文字"}</style><noscript>请启用脚本</noscript>
      <iframe src="x">框架文字</iframe>
      <div class="article-content">
        <h1>某某市2023年政务公开工作要点</h1>
        <p>一、推进决策公开</p><p>（一）完善重大行政决策公开制度。</p>
        <div class="bdsharebuttonbox">分享到：微信 微博</div>
      </div>
      <div class="footer">版权所有 某某市人民政府 网站标识码：123</div>
      <div class="copyright">技术支持：某某公司</div>`));
    const all = doc.blocks.map(blockText).join('\n');
    for (const w of ['某某市人民政府\n', '机构概况', '当前位置', '搜索', '热点专题', '脚本文字', '样式文字', '请启用脚本', '框架文字', '分享到', '版权所有', '技术支持']) {
      expect(all).not.toContain(w);
    }
    expect(doc.blocks[0]).toEqual({ kind: 'heading', level: 1, text: '某某市2023年政务公开工作要点' });
    expect(texts(doc)).toEqual(['某某市2023年政务公开工作要点', '一、推进决策公开', '（一）完善重大行政决策公开制度。']);
  });

  it('does not delete the article when its wrapper has a chrome-like class (ASP.NET form, "main-top")', async () => {
    const doc = await read(page(`<form id="form1"><div class="main-top">
      <h1>某区2021年政务公开工作实施方案</h1>
      <p>一、工作目标</p><p>（一）推进决策公开。区政府办负责。</p><p>（二）推进执行公开。各部门负责。</p>
      </div><div class="footer">主办单位：某区人民政府</div></form>`));
    expect(texts(doc)).toEqual(['某区2021年政务公开工作实施方案', '一、工作目标', '（一）推进决策公开。区政府办负责。', '（二）推进执行公开。各部门负责。']);
  });

  it('keeps an "article-header" (title and date) while dropping a plain "header"', async () => {
    const doc = await read(page(`<div class="header">某某市人民政府</div>
      <div class="article"><div class="article-header"><h1>某市2022年政务公开工作要点</h1><span>发布日期：2022-03-01</span></div>
      <div class="article-body"><p>（一）推进决策公开，完善重大行政决策公开制度。</p><p>（二）做好政策解读，提升解读质量和实效。</p></div></div>`));
    expect(texts(doc)).toEqual([
      '某市2022年政务公开工作要点',
      '发布日期：2022-03-01',
      '（一）推进决策公开，完善重大行政决策公开制度。',
      '（二）做好政策解读，提升解读质量和实效。',
    ]);
  });

  it('drops chrome lines but keeps metadata and sentences that mention chrome words', async () => {
    const doc = await read(page(`<div class="TRS_Editor">
      <p>发布日期：2022-11-23　　浏览次数：1167　　【字体：大 中 小】</p>
      <p>【打印本页】 【关闭窗口】</p>
      <p>（三）优化网站地图和搜索功能，版权所有信息规范展示。</p>
      <p>字号：[大] [中] [小]</p>
      <p>粤ICP备05102083号-3</p>
      <p>公开方式：主动公开</p></div>`));
    expect(texts(doc)).toEqual([
      '测试页面',
      '发布日期：2022-11-23',
      '（三）优化网站地图和搜索功能，版权所有信息规范展示。',
      '公开方式：主动公开',
    ]);
  });

  it('uses <title> (without the site suffix) as the first heading when the page has no h1', async () => {
    const doc = await read(page('<div id="zoom"><p>（一）推进政务公开标准化。</p></div>', '<meta charset="utf-8"><title>关于印发某方案的通知_通知公告_某某网站</title>'));
    expect(doc.blocks[0]).toEqual({ kind: 'heading', level: 1, text: '关于印发某方案的通知' });
  });

  it('emits h1–h6 as headings with their level, li and br-separated lines as paragraphs', async () => {
    const doc = await read(page(`<div class="content"><h1>总标题</h1><h3>一、分节</h3>
      <ul><li>第一项</li><li>第二项</li></ul><div>行一<br>行二</div><p style="text-align:right">某某办公室</p></div>`));
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: '总标题' },
      { kind: 'heading', level: 3, text: '一、分节' },
      { kind: 'paragraph', text: '第一项' },
      { kind: 'paragraph', text: '第二项' },
      { kind: 'paragraph', text: '行一' },
      { kind: 'paragraph', text: '行二' },
      { kind: 'paragraph', text: '某某办公室', align: 'right' },
    ]);
  });
});

describe('readHtml article container and title', () => {
  it('an information-disclosure (xxgk) page: metadata table, title div, table with caption and thead', async () => {
    const doc = await readHtml(readFileSync(join(root, 'fixtures', 'html', 'xxgk-page.html')));
    const all = doc.blocks.map(blockText).join('\n');
    for (const w of ['信息公开目录', '机构职能', '您的位置', '搜索', '某市人民政府门户网站', 'ICP备', '网站地图', '分享到', '点击数', '【字号', '【打印】']) {
      expect(all).not.toContain(w);
    }
    expect(texts(doc)).toEqual([
      '索引号：11440000/2023-00042',
      '分类：政务公开',
      '发文字号：某府办〔2023〕5号',
      '成文日期：2023-03-01',
      '某市2023年政务公开工作要点分工方案',
      '发布时间：2023-03-02 10:00',
      '各区人民政府，市政府各部门、各直属机构：',
      '经市人民政府同意，现将《某市2023年政务公开工作要点分工方案》印发给你们，请认真贯彻落实。',
      '某市2023年政务公开工作要点分工方案',
      '某市人民政府办公室',
      '2023年3月1日',
    ]);
    expect(doc.blocks.find((b) => b.kind === 'heading')).toEqual({ kind: 'heading', level: 1, text: '某市2023年政务公开工作要点分工方案' });
    const [t] = tables(doc);
    expect(t).toMatchObject({ rows: 4, cols: 5, headerRows: [0] });
    expect(cellAt(t, 1, 2)).toMatchObject({ rowSpan: 2, text: '市司法局' });
    expect(cellAt(t, 2, 3)?.text).toBe('市有关部门');
    expect(cellAt(t, 3, 3)?.text).toBe('');
    expect(doc.blocks[doc.blocks.indexOf(t) - 1]).toMatchObject({ kind: 'paragraph', text: '某市2023年政务公开工作要点分工方案' });
  });

  it('a title far from the article container is still the first heading; metadata outside is kept; link lists are not', async () => {
    const links = Array.from({ length: 25 }, (_, i) => `<li><a href="/${i}">第${i}条其他通知公告标题</a></li>`).join('');
    const para = '为深入贯彻落实政务公开工作要求，进一步提升政务公开质量和实效，结合本县实际，制定本要点。';
    const doc = await read(page(`
      <div class="tt"><h1>某县2022年政务公开工作要点</h1></div>
      <div class="list"><ul>${links}</ul></div>
      <div class="meta"><p>发布机构：某县人民政府办公室</p></div>
      <div class="content"><p>${para}</p><p>一、推进决策公开</p><p>（一）${para}</p><p>（二）${para}</p></div>`));
    expect(doc.blocks[0]).toEqual({ kind: 'heading', level: 1, text: '某县2022年政务公开工作要点' });
    expect(texts(doc)).toEqual(['某县2022年政务公开工作要点', '发布机构：某县人民政府办公室', para, '一、推进决策公开', `（一）${para}`, `（二）${para}`]);
  });

  it('a page without recognisable container names: the block holding the long text is the article', async () => {
    const para = '为深入贯彻落实政务公开工作要求，进一步提升政务公开质量和实效，结合本县实际，制定本要点。';
    const doc = await read(page(`<div class="a1"><div class="b2"><a href="/">网站首页</a> <a href="/x">机构设置</a> <a href="/y">领导之窗</a></div></div>
      <div class="w"><div class="l"><div>热点信息</div><div>专题专栏</div></div>
      <div class="r"><div class="t2">某县2022年政务公开工作要点</div><div class="c9"><p>${para}</p><p>（一）${para}</p></div></div></div>
      <div class="z"><div>联系电话：0750-1234567</div></div>`));
    expect(texts(doc)).toEqual(['测试页面', '某县2022年政务公开工作要点', para, `（一）${para}`]);
  });

  it('a logo h1 is not taken for the article title', async () => {
    const doc = await read(page(`<div class="logo"><h1>某某区人民政府门户网站</h1></div>
      <div class="detail"><p>（一）推进政务公开标准化规范化，各部门负责。</p><p>（二）做好政策解读。</p></div>`,
      '<meta charset="utf-8"><title>某某区政务公开实施方案_某某区人民政府门户网站</title>'));
    expect(doc.blocks[0]).toEqual({ kind: 'heading', level: 1, text: '某某区政务公开实施方案' });
    expect(doc.blocks.map(blockText)).not.toContain('某某区人民政府门户网站');
  });
});

describe('readHtml robustness', () => {
  it('a Word-exported page (gb2312, MsoNormal, o:p, list numbers in conditional comments)', async () => {
    const doc = await readHtml(readFileSync(join(root, 'fixtures', 'html', 'word-export.html')));
    expect(doc.encoding).toBe('gb18030');
    // <title> heads the blocks; the printed title follows as a centred bold paragraph.
    expect(doc.blocks[0]).toEqual({ kind: 'heading', level: 1, text: '2021年政务公开工作要点' });
    expect(texts(doc)).toEqual(['2021年政务公开工作要点', '某县2021年政务公开工作要点', '为全面推进政务公开，制定本要点。', '1. 推进决策公开。']);
    expect(doc.blocks[1]).toMatchObject({ kind: 'paragraph', align: 'center', bold: true });
    const [t] = tables(doc);
    expect(t).toMatchObject({ rows: 3, cols: 3 });
    expect(cellAt(t, 1, 2)).toMatchObject({ rowSpan: 2, text: '县政府办' });
    expect(cellAt(t, 2, 1)?.text).toBe('做好依申请公开。');
  });

  it('<pre> keeps its lines; a <title> that is only the site name is not a heading', async () => {
    const doc = await read(page('<pre>政务公开工作要点\n（一）推进决策公开。   区政府办负责\n\n（二）做好政策解读。</pre>', '<meta charset="utf-8"><title>某某市人民政府门户网站</title>'));
    expect(doc.blocks).toEqual([
      { kind: 'paragraph', text: '政务公开工作要点' },
      { kind: 'paragraph', text: '（一）推进决策公开。 区政府办负责' },
      { kind: 'paragraph', text: '（二）做好政策解读。' },
    ]);
  });

  it('survives pathological nesting (thousands of unclosed tags) without a stack overflow', async () => {
    const deep = page('<div>'.repeat(6000) + '<p>（一）推进决策公开。</p><p>（二）做好政策解读。</p>' + '</div>'.repeat(6000));
    expect(texts(await read(deep))).toEqual(['测试页面', '（一）推进决策公开。', '（二）做好政策解读。']);
    const fonts = page('<font size=3>'.repeat(20000) + '政务公开工作要点<br>（一）推进决策公开。');
    expect(texts(await read(fonts))).toEqual(['测试页面', '政务公开工作要点', '（一）推进决策公开。']);
  });
});

describe('readHtml encodings and errors', () => {
  const body = '<h1>政务公开工作要点</h1><p>（一）推进决策公开。</p>';

  it('a gb2312-labelled page that is really UTF-8 decodes as UTF-8', async () => {
    const doc = await read(page(body, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>t</title>'));
    expect(doc.encoding).toBe('utf-8');
    expect(texts(doc)).toContain('（一）推进决策公开。');
  });

  it('honours meta charset=gbk (decoded as gb18030)', async () => {
    const doc = await readHtml(readFileSync(join(root, 'fixtures', 'html', 'gbk-meta.html')));
    expect(doc.encoding).toBe('gb18030');
    expect(texts(doc)).toContain('（一）推进决策公开。');
  });

  it('a utf-8-labelled page that is really GBK is sniffed as gb18030', async () => {
    const doc = await readHtml(readFileSync(join(root, 'fixtures', 'html', 'gbk-labelled-utf8.html')));
    expect(doc.encoding).toBe('gb18030');
    expect(texts(doc)).toContain('（一）推进决策公开。');
  });

  it('UTF-16 with BOM', async () => {
    const html = page(body, '<meta charset="utf-16"><title>t</title>');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]);
    const doc = await readHtml(bytes);
    expect(doc.encoding).toBe('utf-16le');
    expect(texts(doc)).toContain('（一）推进决策公开。');
  });

  it('declaredCharset reads meta charset, http-equiv and the xml declaration', () => {
    expect(declaredCharset(enc('<meta charset="gb2312">'))).toBe('gb2312');
    expect(declaredCharset(enc("<meta http-equiv='Content-Type' content='text/html; charset=GBK'>"))).toBe('GBK');
    expect(declaredCharset(enc('<?xml version="1.0" encoding="gb18030"?><html>'))).toBe('gb18030');
    expect(declaredCharset(enc('<html><body>x'))).toBeNull();
  });

  it('throws one clear InputError for a page with no text', async () => {
    const err = await read('<html><head><script>var x=1</script></head><body><div> </div><img src="a.png"></body></html>').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('html page has no text');
  });

  it('a frameset page says so', async () => {
    const err = await read('<html><head><title>某某网站</title></head><frameset cols="20%,80%"><frame src="a.html"><frame src="b.html"></frameset></html>').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/frameset/);
  });

  it('a page with only chrome returns no blocks but a warning (no plan is the structure stage’s call)', async () => {
    const doc = await read('<html><body><div class="footer">版权所有 某某政府</div></body></html>');
    expect(doc.blocks).toHaveLength(0);
    expect(doc.warnings.map((w) => w.code)).toEqual(['HTML_ONLY_CHROME']);
  });

  it('cleanChromeLine', () => {
    expect(cleanChromeLine('分享到：微信 微博')).toBeNull();
    expect(cleanChromeLine('首页 > 政务公开 > 通知公告')).toBeNull();
    expect(cleanChromeLine('江建管〔2022〕39号')).toBe('江建管〔2022〕39号');
  });
});

/**
 * Saved web pages → intermediate document.
 *
 * Charset: meta charset / http-equiv / xml declaration from the first 4 KB,
 * then decodeText (BOM > valid UTF-8 > declared, gb2312/gbk as gb18030 > sniff).
 *
 * One htmlparser2 parse into a domhandler tree, the tree cheerio's slim entry
 * point builds, without cheerio's wrapper (parse5, cheerio's default, took
 * over half the reading time and most of its garbage; cheerio's full entry
 * point also costs a third of a second to import, paid by every batch worker;
 * parse5 is loaded only for pages htmlparser2 handles badly), table nesting
 * repaired where htmlparser2 is more literal than an HTML5 parser
 * (repairTableNesting), then plain walks over the domhandler tree:
 *   pass 1 measures every element once (CJK characters, long-run CJK, whether
 *          it holds a table or a heading, hidden/chrome flags), so no subtree
 *          is ever re-read with `.text()`;
 *   pass 2 picks the article container: the deepest element named like one
 *          (TRS_Editor, zoom, article, content, xxgk, detail, main …) that
 *          holds ≥ 80 % of the page's long text runs — else any block holding
 *          ≥ 95 % — widened to take in the article title and info line when
 *          they sit just outside it;
 *   pass 3 emits blocks in reading order: headings (h1–h6, title-named
 *          elements), paragraphs (p/div/li/br lines, site-chrome lines
 *          dropped), data tables (the HTML table algorithm over rowspan/
 *          colspan), while layout tables (holding tables/headings or one long
 *          article cell) are walked through. Metadata lines (索引号/发文字号/
 *          发布日期 …) found outside the container are kept at the top, and the
 *          page's title heads the blocks when the container has no h1.
 * No task logic lives here: the structure stage finds the task table by its
 * header roles.
 */
import { DomUtils, Parser } from 'htmlparser2';
import { DomHandler, Element as DomElement } from 'domhandler';
import type { AnyNode, Document, Element } from 'domhandler';
import type { Block, IntermediateDocument, ParagraphBlock, ReaderWarning, TableBlock, TableCell } from '../model/document.js';
import { InputError } from '../model/document.js';
import { decodeText } from './encoding.js';

/** Never content. */
const SKIP_TAGS = new Set([
  'script', 'style', 'noscript', 'iframe', 'template', 'svg', 'math', 'select', 'option', 'optgroup', 'datalist',
  'button', 'input', 'textarea', 'object', 'embed', 'audio', 'video', 'canvas', 'map', 'area', 'head', 'frame',
  'frameset', 'dialog', 'img', 'link', 'meta', 'base', 'param', 'source', 'track', 'wbr', 'col', 'colgroup',
]);
/** Chrome by tag, unless the element turns out to wrap the article (ASP.NET pages wrap everything in a form). */
const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'form', 'aside', 'menu']);
const CHROME_NAME = /nav|menu|breadcrumb|crumb|footer|share|toolbar|sidebar|copyright|logo|banner/i;
/** Chrome unless the same name also says article/content/title ("article-header", "detail_top"). */
const WEAK_CHROME_NAME = /header|(?:^|[-_\s])(?:top|bottom|foot|location|position|dqwz|weizhi)(?:$|[-_\s\d])/i;
const CONTAINER_NAME =
  /article|content|zoom|trs_?editor|xxgk|detail|main|zhengwen|custom_unionstyle|(?:^|[-_\s])(?:zw|con|text|view|wzy|wznr|nr)(?:$|[-_\s\d])/i;
/** Elements that may hold an article on a page without recognisable container names. */
const GENERIC_CONTAINERS = new Set(['div', 'td', 'section', 'article', 'main', 'center', 'form', 'body']);
const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'tr', 'ul', 'xmp', 'listing', 'plaintext',
]);
/** h1–h6 and their levels: a lookup instead of a regex run on every element's name. */
const HEADING_LEVEL = new Map([['h1', 1], ['h2', 2], ['h3', 3], ['h4', 4], ['h5', 5], ['h6', 6]]);
const PRE_TAGS = new Set(['pre', 'xmp', 'listing', 'plaintext']);
/** A text run with at least this many CJK characters is article-like text, not a link or a label. */
const LONG_TEXT = 15;
/** Elements named as the article title (div.title, td.biaoti …). */
const TITLE_NAME = /(?:^|[-_\s])(?:title|biaoti)(?:$|[-_\s\d])|article-?title|news-?title|xxgk_?title|wz_?title/i;
/** Article metadata lines worth keeping from outside the container. */
const META_LINE = /^(?:索引号|发文字号|文号|发文机关|发布机构|发布单位|成文日期|发文日期|发布日期|发布时间|公开方式|公开日期|主题分类|信息来源|来源)\s*[:：]/;
const PARA_TAGS = new Set(['p', 'div', 'li', 'br', 'dd', 'dt', 'section', 'blockquote', 'pre']);

/** Spaces, tabs, newlines and &nbsp; collapse to one space; U+3000 is kept as printed. */
const SPACE_RUN = /[ \t\n\r\f\v\u00a0\u2002\u2003\u2009]+/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

// ---------------------------------------------------------------- chrome lines

/** Fragments removed from a line that may also carry article metadata (发布日期 … 浏览次数 … 【字体：大 中 小】). */
const CHROME_FRAGMENTS: RegExp[] = [
  /[【\[［(（]?\s*字[体號号]\s*[:：]?\s*[【\[［]?\s*大\s*[】\]］]?\s*[【\[［]?\s*中\s*[】\]］]?\s*[【\[［]?\s*小\s*[】\]］]?\s*[】\]］)）]?/g,
  /(?:浏览|点击|访问|阅读)(?:次数|量|数)\s*(?:[:：]\s*\d*|\d+)\s*次?/g,
  /[【\[［]\s*(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|顶部|纠错|我要纠错)\s*[】\]］]/g,
  /(?:打印本页|关闭窗口|返回顶部|收藏本页|加入收藏|设为首页|扫一扫在手机打开当前页|扫码浏览)/g,
];
/** A line still holding one of these after fragment removal is chrome. */
const CHROME_LINE =
  /分享到|当前位置|您的位置|你的位置|所在位置|^\s*首页\s*[>＞»›]|ICP备|ICP证|公网安备|网站标识码|版权所有|Copyright|©|主办单位|承办单位|技术支持|扫码浏览|扫一扫|友情链接|网站地图|相关链接|相关文章|上一篇|下一篇|无障碍浏览|长者模式|繁體版|欢迎访问|分辨率|浏览器浏览/i;

/** Returns the line without chrome fragments, or null when the whole line is chrome. */
export function cleanChromeLine(line: string): string | null {
  let t = line;
  if (/[字浏点访阅打关收返顶纠加设扫]/.test(t)) {
    for (const re of CHROME_FRAGMENTS) t = t.replace(re, ' ');
    t = t.replace(SPACE_RUN, ' ').replace(/(?:[\s\u3000]*[|｜])+[\s\u3000]*$/, '').replace(/^[\s\u3000|｜]+|[\s\u3000]+$/g, '');
  }
  if (!t) return null;
  // Sentences (ending 。；) with such a word are article text ("完善网站地图。"); chrome lines are labels and links.
  if (CHROME_LINE.test(t) && !(t.length > 12 && /[。；;]$/.test(t))) return null;
  if (/^[\s\u3000:：|｜>＞»·•\-—【】\[\]]*$/.test(t)) return null;
  return t;
}

// ---------------------------------------------------------------- helpers

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

function attr(el: Element, name: string): string {
  return el.attribs?.[name] ?? '';
}

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined) return true;
  const style = a.style;
  // Cheap screen before the full regex: most styles say neither word.
  if (!style || !/none|hidden/i.test(style)) return false;
  return /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

function chromeName(el: Element): boolean {
  return chromeNamed(el.attribs.id) || chromeNamed(el.attribs.class);
}

function chromeNamed(name: string | undefined): boolean {
  if (!name) return false;
  if (CHROME_NAME.test(name)) return true;
  return WEAK_CHROME_NAME.test(name) && !CONTAINER_NAME.test(name) && !TITLE_NAME.test(name);
}

function isTitleNamed(el: Element): boolean {
  const id = el.attribs.id;
  const cls = el.attribs.class;
  return (!!id && TITLE_NAME.test(id)) || (!!cls && TITLE_NAME.test(cls));
}

function countCjk(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd840 && c <= 0xd87e)) n++;
  }
  return n;
}

/** Characters of s that are not JS whitespace (/\s/): what removing every /\s+/ run would leave, without the copy. */
function countNonSpace(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const space =
      (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
    if (!space) n++;
  }
  return n;
}

function alignOf(el: Element): ParagraphBlock['align'] | undefined {
  const style = el.attribs.style;
  const m = style ? /text-align\s*:\s*(center|right|left|justify)/i.exec(style) : null;
  const a = (m?.[1] ?? el.attribs.align ?? '').toLowerCase();
  if (a === 'center' || a === 'middle') return 'center';
  if (a === 'right') return 'right';
  if (a === 'left' || a === 'justify') return 'left';
  return el.name === 'center' ? 'center' : undefined;
}

function isBold(el: Element): boolean {
  if (el.name === 'b' || el.name === 'strong') return true;
  const style = el.attribs.style;
  return !!style && /font-weight\s*:\s*(bold|bolder|[6-9]00)/i.test(style);
}

function spanValue(v: string | undefined, max: number): number {
  if (v === undefined) return 1;
  const n = parseInt(v.trim(), 10);
  if (!Number.isFinite(n) || n < 1) return 1;
  return Math.min(n, max);
}

// ---------------------------------------------------------------- depth guard

/** Deeper than this, subtrees are flattened so the recursive walks cannot overflow the stack. */
const MAX_DEPTH = 300;

const CELL_TAGS = new Set(['td', 'th']);

/**
 * htmlparser2 closes an open <td> when the next <td> starts, but not when a
 * <p> or <font> was left open inside it (old portal markup: `<TD><P>a<TD>b`),
 * so the next cell, and every cell after it, ends up nested in the previous
 * one. A cell or row can never sit inside a cell without a <table> between
 * them, so such a cell is moved out to follow the cell it was caught in, and
 * such a row to follow its row: what an HTML5 parser would have built.
 */
function repairTableNesting(root: Element): void {
  const rows: Element[] = [];
  const stack: Element[] = [root];
  while (stack.length) {
    const el = stack.pop()!;
    if (el.name === 'tr') rows.push(el);
    for (let i = el.children.length - 1; i >= 0; i--) {
      const k = el.children[i];
      if (isElement(k)) stack.push(k);
    }
  }
  // A worklist, not the array being walked: a page of thousands of unclosed rows must stay linear.
  const work = rows.reverse();
  while (work.length) {
    const tr = work.pop()!;
    for (let i = 0; i < tr.children.length; i++) {
      const cell = tr.children[i];
      if (!isElement(cell) || !CELL_TAGS.has(cell.name)) continue;
      for (let stray = strayInCell(cell); stray; stray = strayInCell(cell)) {
        DomUtils.removeElement(stray);
        if (stray.name === 'tr') {
          DomUtils.append(tr, stray);
          work.push(stray);
        } else {
          DomUtils.append(cell, stray);
        }
      }
    }
  }
}

/** The first td/th/tr inside a cell with no <table> in between, in document order. */
function strayInCell(cell: Element): Element | null {
  const stack: AnyNode[] = [];
  for (let i = cell.children.length - 1; i >= 0; i--) stack.push(cell.children[i]);
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n) || n.name === 'table') continue;
    if (CELL_TAGS.has(n.name) || n.name === 'tr') return n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return null;
}

/**
 * Pathological nesting (thousands of unclosed <font>/<div> tags) is flattened
 * below MAX_DEPTH: the element keeps its subtree's text nodes in order, with
 * emptied block elements and <br>s as line boundaries. Iterative, so it is
 * itself safe; untouched pages cost one cheap traversal.
 */
function limitDepth(root: Element): void {
  // Two parallel stacks rather than an [element, depth] pair per element: no garbage per visit.
  const stack: Element[] = [root];
  const depths: number[] = [0];
  while (stack.length) {
    const el = stack.pop()!;
    const depth = depths.pop()!;
    if (depth >= MAX_DEPTH) {
      flatten(el);
      continue;
    }
    for (const k of el.children) {
      if (isElement(k) && k.children.length) {
        stack.push(k);
        depths.push(depth + 1);
      }
    }
  }
}

function flatten(el: Element): void {
  const out: AnyNode[] = [];
  const todo: AnyNode[] = [...el.children].reverse();
  while (todo.length) {
    const n = todo.pop()!;
    if (n.type === 'text') {
      out.push(n);
      continue;
    }
    if (!isElement(n) || SKIP_TAGS.has(n.name) || isHidden(n)) continue;
    const kids = n.children;
    if (BLOCK_TAGS.has(n.name) || n.name === 'br') {
      n.children = [];
      out.push(n);
    }
    for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]);
  }
  for (const n of out) n.parent = el;
  el.children = out as Element['children'];
}

// ---------------------------------------------------------------- pass 1: measure

interface Measure {
  /** CJK characters in the subtree (always-skipped tags excluded). */
  cjk: number;
  /** Non-space characters in the subtree. */
  chars: number;
  hasTable: boolean;
  hasHeading: boolean;
  /** Paragraph-like descendants (p, div, li, br …). */
  paras: number;
  /** CJK in this element's own text children, and in those of them that are long runs. */
  ownCjk: number;
  ownLong: number;
  /** display:none / hidden. */
  hidden: boolean;
  /** Chrome by tag or class/id name (still kept when it wraps most of the page). */
  chromeish: boolean;
  /** Named as the article title (isTitleNamed), asked by pass 2 and both pass-3 walks. */
  titleNamed: boolean;
  /** Some text in the subtree holds a colon (: or ：), as every metadata line does. */
  colon: boolean;
  /** Pass 2: CJK outside chrome, and in long runs only. */
  clean: number;
  long: number;
}

/**
 * Pass-1 records live on the elements themselves (under a private symbol):
 * a Map over every element of the page cost a hash lookup per visit in every
 * later pass and a large table for the GC to grow and scan.
 */
const MEASURE = Symbol('measure');
type MeasuredElement = Element & { [MEASURE]?: Measure };

/** The element's pass-1 record; undefined for elements pass 1 never reached (inside skipped tags). */
function measureOf(el: Element): Measure | undefined {
  return (el as MeasuredElement)[MEASURE];
}

function measure(el: Element): Measure {
  const m: Measure = {
    cjk: 0, chars: 0, hasTable: false, hasHeading: false, paras: 0, ownCjk: 0, ownLong: 0,
    hidden: isHidden(el), chromeish: CHROME_TAGS.has(el.name) || chromeName(el), titleNamed: isTitleNamed(el),
    colon: false, clean: 0, long: 0,
  };
  (el as MeasuredElement)[MEASURE] = m;
  const kids = el.children;
  for (const k of kids) {
    if (k.type === 'text') {
      const d = (k as unknown as { data: string }).data;
      let cjk = 0;
      let chars = 0;
      for (let i = 0; i < d.length; i++) {
        const c = d.charCodeAt(i);
        if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd840 && c <= 0xd87e)) cjk++;
        if (c > 0x20 && c !== 0xa0 && c !== 0x3000 && c !== 0xfeff && (c < 0x2000 || c > 0x200b)) chars++;
        if (c === 0x3a || c === 0xff1a) m.colon = true;
      }
      m.ownCjk += cjk;
      if (cjk >= LONG_TEXT) m.ownLong += cjk;
      m.chars += chars;
    } else if (isElement(k)) {
      if (SKIP_TAGS.has(k.name)) continue;
      const c = measure(k);
      m.cjk += c.cjk;
      m.chars += c.chars;
      m.colon ||= c.colon;
      m.hasTable ||= c.hasTable || k.name === 'table';
      m.hasHeading ||= c.hasHeading || HEADING_LEVEL.has(k.name);
      m.paras += c.paras + (PARA_TAGS.has(k.name) ? 1 : 0);
    }
  }
  m.cjk += m.ownCjk;
  return m;
}

// ---------------------------------------------------------------- the reader

interface LineState {
  parts: string[];
  boldChars: number;
  plainChars: number;
}

class HtmlWalker {
  readonly blocks: Block[] = [];
  private readonly line: LineState = { parts: [], boldChars: 0, plainChars: 0 };
  private alignStack: (ParagraphBlock['align'] | undefined)[] = [];
  /** Inside <pre>/<xmp>/<listing>/<plaintext>: newlines are line breaks. */
  private pre = 0;

  constructor(
    private readonly chromeLimit: number,
    /** A subtree not to walk (the container, when collecting what lies outside it). */
    private readonly exclude: Element | null = null,
    /**
     * Only metadata lines (META_LINE, which always has a colon) are wanted from
     * this walk: blocks with no colon anywhere in them are passed over. A block
     * starts and ends its own lines, so no wanted line loses text by it.
     */
    private readonly metadataLinesOnly = false,
  ) {}

  /** One-line text of a title element, or null when it is empty, chrome or the site's own name. */
  titleText(el: Element): string | null {
    for (let p: AnyNode | null = el; p && isElement(p); p = p.parent) {
      const name = (p.attribs.class ?? '') + ' ' + (p.attribs.id ?? '');
      if (/logo|banner|brand/i.test(name)) return null;
    }
    const t = this.cellLines(el, true).join(' ').replace(SPACE_RUN, ' ').trim();
    if (!t || /(?:网站|门户|政府网|信息网|服务网)$/.test(t)) return null;
    return cleanChromeLine(t);
  }

  /** Chrome by tag or class/id, unless it holds a large share of the page's text (a wrapper, not chrome). */
  isChrome(el: Element): boolean {
    const m = measureOf(el);
    if (m ? !m.chromeish : !CHROME_TAGS.has(el.name) && !chromeName(el)) return false;
    if (el.name === 'header' || el.name === 'footer') {
      // <article><header><h1>… is the article's own heading.
      for (let p: AnyNode | null = el.parent; p && isElement(p); p = p.parent) {
        if (p.name === 'article') return false;
      }
    }
    return (m?.cjk ?? 0) < this.chromeLimit;
  }

  hidden(el: Element): boolean {
    const m = measureOf(el);
    return m ? m.hidden : isHidden(el);
  }

  skip(el: Element): boolean {
    if (el === this.exclude || SKIP_TAGS.has(el.name)) return true;
    const m = measureOf(el);
    return (m ? m.hidden : isHidden(el)) || this.isChrome(el);
  }

  private append(text: string, bold: boolean): void {
    const t = text.replace(INVISIBLE, '');
    if (!t) return;
    this.line.parts.push(t);
    const n = countNonSpace(t);
    if (bold) this.line.boldChars += n;
    else this.line.plainChars += n;
  }

  flush(): void {
    const line = this.line;
    if (line.parts.length === 0) return;
    const { boldChars, plainChars } = line;
    const raw = line.parts.join('').replace(SPACE_RUN, ' ').trim();
    // The line state is reset in place, not replaced: flush runs at every block boundary.
    line.parts.length = 0;
    line.boldChars = 0;
    line.plainChars = 0;
    if (!raw) return;
    const text = cleanChromeLine(raw);
    if (!text) return;
    const block: ParagraphBlock = { kind: 'paragraph', text };
    const align = this.alignStack[this.alignStack.length - 1];
    if (align) block.align = align;
    if (boldChars > 0 && plainChars === 0) block.bold = true;
    this.blocks.push(block);
  }

  walk(node: AnyNode, bold: boolean): void {
    const kids = (node as Element).children;
    if (!kids) return;
    for (const k of kids) {
      if (k.type === 'text') {
        const data = (k as unknown as { data: string }).data;
        if (this.pre > 0 && data.includes('\n')) {
          // Preformatted text keeps its line breaks.
          const lines = data.split(/\r?\n|\r/);
          for (let i = 0; i < lines.length; i++) {
            if (i > 0) this.flush();
            this.append(lines[i], bold);
          }
        } else this.append(data, bold);
        continue;
      }
      if (!isElement(k) || this.skip(k)) continue;
      const name = k.name;
      if (name === 'br' || (this.metadataLinesOnly && BLOCK_TAGS.has(name) && measureOf(k)?.colon === false)) {
        this.flush();
        continue;
      }
      if (name === 'table') {
        this.flush();
        this.table(k);
        continue;
      }
      const level = HEADING_LEVEL.get(name);
      if (level !== undefined) {
        this.flush();
        this.heading(k, level);
        continue;
      }
      if (name !== 'td' && name !== 'th' && name !== 'tr') {
        const m = measureOf(k);
        if (m && m.titleNamed && m.cjk >= 4 && m.cjk <= 200 && !m.hasTable && !m.hasHeading && m.paras <= 2) {
          this.flush();
          this.heading(k, 1);
          continue;
        }
      }
      if (BLOCK_TAGS.has(name)) {
        this.flush();
        const pre = PRE_TAGS.has(name);
        if (pre) this.pre++;
        this.alignStack.push(alignOf(k) ?? this.alignStack[this.alignStack.length - 1]);
        this.walk(k, bold || isBold(k));
        this.flush();
        this.alignStack.pop();
        if (pre) this.pre--;
        continue;
      }
      this.walk(k, bold || isBold(k));
    }
  }

  private heading(el: Element, level: number): void {
    const lines = this.cellLines(el, true);
    const text = lines.join(' ').replace(SPACE_RUN, ' ').trim();
    if (!text) return;
    const clean = cleanChromeLine(text);
    if (clean) this.blocks.push({ kind: 'heading', level, text: clean });
  }

  /** Text of a cell (or heading): block elements and <br> start new lines; spaces collapsed per line. */
  cellLines(el: Element, dropChrome: boolean): string[] {
    const lines: string[] = [];
    let cur = '';
    const brk = (): void => {
      if (!cur) return; // block boundaries with nothing between them are the common case
      const t = cur.replace(INVISIBLE, '').replace(SPACE_RUN, ' ').trim();
      if (t) lines.push(t);
      cur = '';
    };
    const rec = (n: AnyNode): void => {
      const kids = (n as Element).children;
      if (!kids) return;
      for (const k of kids) {
        if (k.type === 'text') {
          cur += (k as unknown as { data: string }).data;
        } else if (isElement(k)) {
          if (SKIP_TAGS.has(k.name) || this.hidden(k) || (dropChrome && this.isChrome(k))) continue;
          if (k.name === 'br') brk();
          else if (BLOCK_TAGS.has(k.name)) {
            brk();
            rec(k);
            brk();
          } else rec(k);
        }
      }
    };
    rec(el);
    brk();
    return lines;
  }

  // ------------------------------------------------------------ tables

  /** Rows of this table only (direct, or inside its own thead/tbody/tfoot), with thead membership. */
  private rowsOf(table: Element): { tr: Element; head: boolean }[] {
    const rows: { tr: Element; head: boolean }[] = [];
    for (const k of table.children) {
      if (!isElement(k)) continue;
      if (k.name === 'tr') {
        if (!this.hidden(k)) rows.push({ tr: k, head: false });
      }
      else if (k.name === 'thead' || k.name === 'tbody' || k.name === 'tfoot') {
        for (const r of k.children) {
          if (isElement(r) && r.name === 'tr' && !this.hidden(r)) rows.push({ tr: r, head: k.name === 'thead' });
        }
      }
    }
    return rows;
  }

  private cellsOf(tr: Element): Element[] {
    const out: Element[] = [];
    for (const c of tr.children) if (isElement(c) && (c.name === 'td' || c.name === 'th') && !this.hidden(c)) out.push(c);
    return out;
  }

  private table(el: Element): void {
    const rows = this.rowsOf(el);
    const cellEls = rows.map((r) => this.cellsOf(r.tr));
    const total = measureOf(el)?.cjk ?? 0;
    let maxCell = 0;
    let maxParas = 0;
    let nCells = 0;
    let structural = 0; // CJK in cells that hold tables or headings
    let hasStructural = false;
    let maxCols = 0;
    for (const row of cellEls) {
      if (row.length > maxCols) maxCols = row.length;
      for (const c of row) {
        const m = measureOf(c);
        nCells++;
        if (!m) continue;
        if (m.hasTable || m.hasHeading) {
          hasStructural = true;
          structural += m.cjk;
        }
        if (m.cjk > maxCell) {
          maxCell = m.cjk;
          maxParas = m.paras;
        }
      }
    }
    // Layout: holds tables or headings (unless it is itself a real grid with a
    // small table tucked into one cell), is a single column / single cell box,
    // or one cell carries most of a long text (an article in a page frame).
    let layout = hasStructural && (rows.length <= 4 || maxCols <= 2 || structural >= total * 0.5);
    if (!layout && (maxCols <= 1 || nCells <= 1)) layout = true;
    if (!layout && maxCell >= 150 && maxCell >= total * 0.6) layout = true;
    if (!layout && maxParas >= 3 && maxCell >= 80 && maxCell >= total * 0.5 && rows.length <= 3) layout = true;
    if (layout) {
      this.walk(el, false);
      this.flush();
      return;
    }
    for (const k of el.children) {
      if (isElement(k) && k.name === 'caption' && !this.skip(k)) {
        this.walk(k, false);
        this.flush();
      }
    }
    const block = this.grid(rows, cellEls);
    if (!block) return;
    if (this.isMetadataTable(block)) {
      // One line per label/value pair (发文字号：某府办〔2023〕5号), as a paragraph would print it.
      const lines: string[] = [];
      let label: string | null = null;
      for (const c of block.cells) {
        const t = c.text.replace(/\n/g, ' ');
        if (c.col === 0 && label !== null) {
          lines.push(label);
          label = null;
        }
        if (!t) continue;
        if (/[:：]$/.test(t)) {
          if (label !== null) lines.push(label);
          label = t;
        } else if (label !== null) {
          lines.push(label + t);
          label = null;
        } else lines.push(t);
      }
      if (label !== null) lines.push(label);
      for (const line of lines) {
        const clean = cleanChromeLine(line);
        if (clean) this.blocks.push({ kind: 'paragraph', text: clean });
      }
      return;
    }
    this.blocks.push(block);
  }

  /** A small label/value table (索引号： … 发文字号： …) reads as metadata lines, not as data. */
  private isMetadataTable(t: TableBlock): boolean {
    if (t.rows > 8) return false;
    const filled = t.cells.filter((c) => c.text);
    const labels = filled.filter((c) => /[:：]$/.test(c.text)).length;
    return filled.length > 0 && labels * 2 >= filled.length;
  }

  /** The standard HTML table algorithm: each cell takes the first free column of its row. */
  private grid(rows: { tr: Element; head: boolean }[], cellEls: Element[][]): TableBlock | null {
    const nRows = rows.length;
    if (nRows === 0) return null;
    const occupied: Uint8Array[] = [];
    const occ = (r: number): Uint8Array => {
      while (occupied.length <= r) occupied.push(new Uint8Array(16));
      return occupied[r];
    };
    const take = (r: number, c: number): void => {
      let row = occ(r);
      if (c >= row.length) {
        const bigger = new Uint8Array(Math.max(c + 1, row.length * 2));
        bigger.set(row);
        occupied[r] = row = bigger;
      }
      row[c] = 1;
    };
    const placed: { cell: TableCell; last: boolean }[] = [];
    let width = 0;
    for (let r = 0; r < nRows; r++) {
      let col = 0;
      const cells = cellEls[r];
      for (let i = 0; i < cells.length; i++) {
        const el = cells[i];
        while (col < occ(r).length && occ(r)[col]) col++;
        // rowspan="0" means "to the end of the table"; spans past the end are clamped.
        const rsAttr = el.attribs.rowspan;
        let rowSpan = rsAttr !== undefined && parseInt(rsAttr, 10) === 0 ? nRows - r : spanValue(rsAttr, 65534);
        rowSpan = Math.max(1, Math.min(rowSpan, nRows - r));
        const colSpan = spanValue(el.attribs.colspan, 1000);
        for (let rr = r; rr < r + rowSpan; rr++) for (let cc = col; cc < col + colSpan; cc++) take(rr, cc);
        const text = this.cellLines(el, false).join('\n');
        const last = i === cells.length - 1;
        placed.push({ cell: { row: r, col, rowSpan, colSpan, text }, last });
        // A trailing cell's oversized colspan ("colspan=99" on a section row) does not create columns.
        width = Math.max(width, col + (last && colSpan > 1 ? 1 : colSpan));
        col += colSpan;
      }
    }
    const cols = width;
    if (cols === 0) return null;
    const cells: TableCell[] = [];
    for (const p of placed) {
      if (p.cell.col >= cols) continue; // cannot happen, defensive
      p.cell.colSpan = Math.max(1, Math.min(p.cell.colSpan, cols - p.cell.col));
      cells.push(p.cell);
    }
    if (!cells.some((c) => c.text)) return null;
    // Trailing <tr>s with no cells of their own (reached only by rowspans) are dropped.
    let used = 0;
    for (const c of cells) if (c.row + 1 > used) used = c.row + 1;
    for (const c of cells) c.rowSpan = Math.min(c.rowSpan, used - c.row);
    const block: TableBlock = { kind: 'table', rows: used, cols, cells, origin: 'grid' };
    // Header rows: <thead> rows, and leading rows made only of <th> cells.
    const headerRows = rows.flatMap((r, i) => (r.head && i < used ? [i] : []));
    for (let i = 0; i < used && cellEls[i].length > 0 && cellEls[i].every((c) => c.name === 'th'); i++) {
      if (!headerRows.includes(i)) headerRows.push(i);
    }
    headerRows.sort((x, y) => x - y);
    if (headerRows.length) block.headerRows = headerRows;
    return block;
  }
}

function blockText(b: Block): string {
  return b.kind === 'table' ? '' : b.text;
}

// ---------------------------------------------------------------- charset

/** The charset a page declares in its first 4 KB (meta charset, http-equiv, xml declaration). */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  const meta = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head);
  if (meta) return meta[1];
  const xml = /<\?xml\b[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)/i.exec(head);
  return xml ? xml[1] : null;
}

const SITE_NAME = /(?:网站|门户|政府网|信息网|服务网|首页)$/;

function titleFromTitleTag(t: string): string {
  const all = t.split(/\s*[_|｜]\s*|\s+[-—–]+\s+|\s*--\s*/).map((p) => p.trim()).filter(Boolean);
  const parts = all.filter((p) => !SITE_NAME.test(p));
  if (parts.length === 0) return '';
  if (countCjk(parts[0]) >= 4 || parts.length === 1) return parts[0];
  return parts.reduce((a, b) => (b.length > a.length ? b : a));
}

/** More than 2 000 start tags without an end tag (void elements such as <br>, <img> aside). */
function manyUnclosed(html: string): boolean {
  // Most pages have fewer than 2 000 tags in all: nothing to count.
  let lt = 0;
  for (let i = html.indexOf('<'); i >= 0 && lt <= UNCLOSED_LIMIT; i = html.indexOf('<', i + 1)) lt++;
  if (lt <= UNCLOSED_LIMIT) return false;
  // A scan for what /<(\/?)([a-zA-Z][a-zA-Z0-9]*)/g matches, without a match array and name strings per tag.
  let open = 0;
  let close = 0;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) {
    let start = i + 1;
    const closing = html.charCodeAt(start) === 0x2f;
    if (closing) start++;
    if (!isAsciiLetter(html.charCodeAt(start))) continue;
    if (closing) {
      close++;
      continue;
    }
    let end = start + 1;
    while (isAsciiLetter(html.charCodeAt(end)) || isAsciiDigit(html.charCodeAt(end))) end++;
    // No void element's name is longer than VOID_NAME_MAX: longer names need no string.
    if (end - start > VOID_NAME_MAX || !VOID_TAGS.has(html.slice(start, end).toLowerCase())) open++;
  }
  return open - close > UNCLOSED_LIMIT;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

const UNCLOSED_LIMIT = 2000;

/** The only attributes the reader looks at (isHidden, chromeName, isTitleNamed, alignOf, isBold, grid, titleText). */
const READ_ATTRIBUTES = new Set(['id', 'class', 'style', 'hidden', 'align', 'rowspan', 'colspan']);

/**
 * htmlparser2's parser, storing only the attributes the reader reads: pages
 * carry many others (href, src, width, onclick …), and every one stored made
 * the attribute objects bigger and more varied in shape, and was garbage
 * after reading. Tokenising, entity decoding and lower-casing are unchanged,
 * so the attributes kept hold exactly what they held before.
 */
class ReadAttributesParser extends Parser {
  /** Whether the attribute being tokenised is one of READ_ATTRIBUTES. */
  private keepAttribute = false;

  override onattribname(start: number, endIndex: number): void {
    super.onattribname(start, endIndex);
    // attribname is private in the typings, but a plain field, set (lower-cased) just above.
    this.keepAttribute = READ_ATTRIBUTES.has((this as unknown as { attribname: string }).attribname);
  }

  override onattribdata(start: number, endIndex: number): void {
    if (this.keepAttribute) super.onattribdata(start, endIndex);
  }

  override onattribentity(codePoint: number): void {
    if (this.keepAttribute) super.onattribentity(codePoint);
  }

  override onattribend(quote: number, endIndex: number): void {
    if (this.keepAttribute) super.onattribend(quote, endIndex);
    else this.endIndex = endIndex;
  }
}

/** The same tree cheerio/slim's load built (htmlparser2, HTML mode, entities decoded), without cheerio's wrapper. */
function parseWithHtmlparser2(html: string): Document {
  const handler = new DomHandler();
  new ReadAttributesParser(handler, { decodeEntities: true }).end(html);
  return handler.root;
}

/** The HTML5 tree-building algorithm, as cheerio's default entry point runs it, into the same domhandler tree. */
async function parseWithParse5(html: string): Promise<Document> {
  const [{ parse }, { adapter }] = await Promise.all([import('parse5'), import('parse5-htmlparser2-tree-adapter')]);
  return parse(html, { treeAdapter: adapter, scriptingEnabled: true }) as Document;
}

const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'basefont', 'frame', 'isindex', 'keygen']);
const VOID_NAME_MAX = Math.max(...[...VOID_TAGS].map((name) => name.length));

// ---------------------------------------------------------------- entry point

export async function readHtml(bytes: Uint8Array): Promise<IntermediateDocument> {
  const { text, encoding } = decodeText(bytes, { declared: declaredCharset(bytes) });
  // htmlparser2 keeps its open-element stack with unshift: thousands of elements left open
  // (old markup never closing <p>, <td>, <font>) make it quadratic. Such pages go to parse5,
  // which is slower on ordinary pages but linear there.
  const root: AnyNode = manyUnclosed(text) ? await parseWithParse5(text) : parseWithHtmlparser2(text);
  const warnings: ReaderWarning[] = [];

  // htmlparser2 builds no implied elements: a page may lack <html>, <head> or <body>.
  let htmlEl: Element | null = null;
  for (const k of (root as unknown as Element).children) if (isElement(k) && k.name === 'html') htmlEl = k;
  if (!htmlEl) {
    const rootEl = root as unknown as Element;
    htmlEl = new DomElement('html', {}, rootEl.children);
    for (const k of htmlEl.children) k.parent = htmlEl;
    rootEl.children = [htmlEl];
  }
  let body: Element | null = null;
  let head: Element | null = null;
  for (const k of htmlEl?.children ?? []) {
    if (isElement(k) && k.name === 'body') body = k;
    if (isElement(k) && k.name === 'head') head = k;
  }
  let titleText = '';
  for (const k of head?.children ?? []) {
    if (isElement(k) && k.name === 'title') {
      titleText = titleFromTitleTag(DomUtils.textContent(k).replace(SPACE_RUN, ' ').trim());
      break;
    }
  }
  if (!body) {
    for (const k of htmlEl?.children ?? []) {
      if (isElement(k) && k.name === 'frameset') {
        throw new InputError('NO_TEXT', 'html page is a frameset with no text of its own; save the framed page itself');
      }
    }
    body = htmlEl;
  }
  if (body) {
    repairTableNesting(body);
    limitDepth(body);
  }

  // pass 1
  const whole = body ? measure(body) : { cjk: 0, chars: 0 };
  if (whole.chars === 0 && !titleText) throw new InputError('NO_TEXT', 'html page has no text');

  const walker = new HtmlWalker(Math.max(1, whole.cjk * 0.5));

  // pass 2: the article container, and the article title when it sits outside it.
  let container: Element | null = body;
  let titleEl: Element | null = null;
  if (body) {
    // start/end: the candidate's pre-order span, for "does it hold this title?" (held on the record, not in a Map of every div/td).
    const candidates: { el: Element; depth: number; named: boolean; start: number; end: number }[] = [];
    // Asked for at most twice per page, so a scan beats indexing every candidate.
    const candidateOf = (el: Element) => candidates.find((c) => c.el === el);
    // Clean (chrome-free) counts live on the pass-1 records, to spare the GC three maps.
    const clean = { get: (el: Element): number | undefined => measureOf(el)?.clean };
    const long = { get: (el: Element): number | undefined => measureOf(el)?.long };
    const titles: { el: Element; order: number; strong: boolean }[] = [];
    let order = 0;
    const rec = (el: Element, depth: number): number => {
      const start = order++;
      const me = measureOf(el);
      let n = me?.ownCjk ?? 0;
      let l = me?.ownLong ?? 0;
      for (const k of el.children) {
        if (isElement(k) && !walker.skip(k)) {
          n += rec(k, depth + 1);
          l += measureOf(k)?.long ?? 0;
        }
      }
      if (me) {
        me.clean = n;
        me.long = l;
      }
      const id = el.attribs.id;
      const cls = el.attribs.class;
      const named = el.name === 'article' || el.name === 'main' || (!!id && CONTAINER_NAME.test(id)) || (!!cls && CONTAINER_NAME.test(cls));
      if (named || GENERIC_CONTAINERS.has(el.name)) {
        candidates.push({ el, depth, named, start, end: order });
      }
      const level = HEADING_LEVEL.get(el.name);
      const titleName = me ? me.titleNamed : isTitleNamed(el);
      if (((level !== undefined && level <= 3) || titleName) && n >= 4 && n <= 200) {
        titles.push({ el, order: start, strong: titleName || level === 1 });
      }
      return n;
    };
    const cleanTotal = rec(body, 0);
    const longTotal = long.get(body) ?? 0;
    // The article container holds most of the page's text and nearly all of its
    // long runs (paragraphs, task cells); sidebars, link lists and footers are short lines.
    const byDepth = [...candidates].sort((a, b) => b.depth - a.depth);
    // (Two disjoint elements cannot both hold 80 % of it, so the matches nest.)
    // Named containers (TRS_Editor, zoom, content …) first; else any block
    // element holding practically all of the long text.
    const named = byDepth.filter((c) => c.named);
    let strong =
      longTotal >= 30
        ? named.filter((c) => (long.get(c.el) ?? 0) >= longTotal * 0.8 && (clean.get(c.el) ?? 0) >= cleanTotal * 0.3)
        : named.filter((c) => cleanTotal > 0 && (clean.get(c.el) ?? 0) >= cleanTotal * 0.8);
    if (strong.length === 0 && longTotal >= 30) {
      strong = byDepth.filter((c) => (long.get(c.el) ?? 0) >= longTotal * 0.95 && (clean.get(c.el) ?? 0) >= cleanTotal * 0.5);
    }
    let deepest = strong[0]?.el ?? body;
    if (strong[0] && !strong[0].named) {
      // An unnamed block: its parent usually also holds the title line; take it when it adds little.
      const parent = deepest.parent;
      if (parent && isElement(parent) && candidateOf(parent)) {
        const extra = (clean.get(parent) ?? 0) - (clean.get(deepest) ?? 0);
        if (extra <= 0.25 * (clean.get(deepest) ?? 0)) deepest = parent;
      }
    }
    container = deepest;
    const deepestCandidate = candidateOf(deepest);
    const [ds, de] = deepestCandidate ? [deepestCandidate.start, deepestCandidate.end] : [0, order];
    const titleInside = titles.some((t) => t.strong && t.order > ds && t.order < de);
    if (!titleInside) {
      const before = titles.filter((t) => t.order < ds && walker.titleText(t.el) !== null);
      const chosen = [...before].reverse().find((t) => t.strong) ?? before[before.length - 1];
      if (chosen) {
        // The smallest element holding both the title and the article: take it when it adds little else (the info line).
        const up = new Set<AnyNode>();
        for (let p: AnyNode | null = chosen.el; p; p = p.parent) up.add(p);
        let lca: AnyNode | null = deepest;
        while (lca && !up.has(lca)) lca = lca.parent;
        const extra = lca && isElement(lca) ? (clean.get(lca) ?? Infinity) - (clean.get(deepest) ?? 0) : Infinity;
        if (lca && isElement(lca) && extra <= Math.max(200, 0.2 * (clean.get(deepest) ?? 0))) container = lca;
        else titleEl = chosen.el;
      }
    }
  }

  // pass 3
  if (container) {
    walker.walk(container, false);
    walker.flush();
  }
  const blocks = walker.blocks;

  // Metadata lines (索引号/发文字号/发布日期…) printed outside the chosen container.
  if (body && container && container !== body) {
    const outside = new HtmlWalker(Math.max(1, whole.cjk * 0.5), container, true);
    outside.walk(body, false);
    outside.flush();
    const have = new Set(blocks.map(blockText));
    const meta = outside.blocks.filter(
      (b): b is ParagraphBlock => b.kind === 'paragraph' && META_LINE.test(b.text) && b.text.length <= 120 && !have.has(b.text),
    );
    if (meta.length) blocks.unshift(...meta.map((b): ParagraphBlock => ({ kind: 'paragraph', text: b.text })));
  }

  // The article title heads the document: a title element outside the container, else <title>.
  const top =
    blocks.some((b) => b.kind === 'heading' && b.level === 1) ||
    blocks.slice(0, 8).some((b) => b.kind === 'heading' && b.level <= 2);
  if (titleEl) {
    const t = walker.titleText(titleEl);
    if (t) blocks.unshift({ kind: 'heading', level: HEADING_LEVEL.get(titleEl.name) ?? 1, text: t });
  } else if (titleText && !top && !blocks.some((b) => b.kind === 'heading' && b.text === titleText)) {
    const clean = cleanChromeLine(titleText);
    if (clean) blocks.unshift({ kind: 'heading', level: 1, text: clean });
  }

  if (blocks.length === 0) {
    if (whole.chars === 0) throw new InputError('NO_TEXT', 'html page has no text');
    warnings.push({ code: 'HTML_ONLY_CHROME', message: 'html page has only site navigation and footer text, no article' });
  }
  return { format: 'html', blocks, pages: null, encoding, warnings };
}

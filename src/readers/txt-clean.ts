import { stripTags } from '../lexicon/text.js';

export interface Line {
  text: string;
  /** Markdown heading level when the line was `# …`. */
  heading?: number;
}

/** Lines that are site furniture, never plan text (saved web pages). */
const CHROME = [
  /^分享到[:：]?/,
  /^【?\s*字体[:：]/,
  /^(打印本页|关闭窗口|打印|关闭|返回顶部|返回|收藏|扫码浏览|关联稿件|相关稿件|相关链接|友情链接|网站地图|上一篇|下一篇)(\s|$|[:：])/,
  /(ICP备|公网安备|网站标识码|版权所有|技术支持[:：]|主办单位[:：]|承办单位[:：]|联系电话[:：]|E-?mail[:：])/i,
  /(管委会主办|办公室承办)\s*$/,
  /^(来源|作者|浏览量|浏览次数|点击数|发布时间|信息来源|责任编辑)[:：]\s*$/,
  /^(Baidu|map|微信|微博|QQ空间)$/i,
  /^当前位置[:：]/,
  /^首页\s*[>＞›]/,
];

export function isChromeLine(s: string): boolean {
  const t = s.replace(/^[\s•·●▪]+/, '').trim();
  if (!t || t.length > 80) return false;
  return CHROME.some((re) => re.test(t));
}

/**
 * Trailing spaces off, by hand: a regex `[ ]+$` restarts at every space of
 * every gap, quadratic on `pdftotext -layout` lines, which are mostly gaps.
 */
function trimSpacesEnd(line: string): string {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 32 && c !== 0x3000) break;
    end--;
  }
  return end === line.length ? line : line.slice(0, end);
}

const MARKUP = /<|&[a-z#0-9]+;/i;
const MARKDOWN_HEADING = /^\s*(#{1,6})\s+(.*)$/;
const BOLD = /\*\*(.+?)\*\*/g;
const QUOTE_MARK = /^\s*>\s?/;
/** "  • 2024-06-24 16:55": a portal's publication stamp, not plan text. */
const PUBLICATION_STAMP = /^\s*[•·●▪]\s*(\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2})?)?\s*$/;

/**
 * Normalise line endings, strip HTML fragments and markdown decoration,
 * drop web chrome. Tabs and leading tabs are kept: they carry the table.
 */
export function cleanLines(text: string): Line[] {
  const raw = text.replace(/\r\n?/g, '\n').replace(/\f/g, '\n\n').split('\n');
  const out: Line[] = [];
  for (let line of raw) {
    if (MARKUP.test(line)) line = stripTags(line).replace(/\n/g, ' ');
    let heading: number | undefined;
    // Most lines hold no '#' or '>': their regexes are skipped.
    const h = line.includes('#') ? MARKDOWN_HEADING.exec(line) : null;
    if (h) {
      heading = h[1].length;
      line = h[2];
    }
    if (line.includes('**')) line = line.replace(BOLD, '$1');
    if (line.includes('>')) line = line.replace(QUOTE_MARK, '');
    line = trimSpacesEnd(line);
    if (isChromeLine(line)) continue;
    if (PUBLICATION_STAMP.test(line)) continue;
    out.push(heading ? { text: line, heading } : { text: line });
  }
  return out;
}

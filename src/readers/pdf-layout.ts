/**
 * Page furniture removal (running headers/footers, page numbers, 续表
 * markers) and narrative text: lines → paragraphs / headings.
 */
import type { Line } from './pdf-text.js';

export interface PageLines {
  page: number;
  width: number;
  height: number;
  lines: Line[];
}

/** "- 2 -", "第 2 页", "第2页 共6页", "2 / 6", "— 2 —", a lone number. */
const PAGE_NUMBER =
  /^(?:[-—–－~～·•\s]*\d{1,4}[-—–－~～·•\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?|[（(]?\s*\d{1,4}\s*[)）]?)$/i;

export function isPageNumber(text: string): boolean {
  return PAGE_NUMBER.test(text.trim());
}

/** 续表 / (续表) / 续表1 / （续上表） markers. */
const CONTINUED = /^[(（]?\s*续\s*(?:上\s*)?表\s*\d*\s*[)）]?\s*[:：]?$/;
export function isContinuedMarker(text: string): boolean {
  return CONTINUED.test(text.replace(/\s+/g, ''));
}

/**
 * Remove furniture from every page in place: page numbers in the top/bottom
 * margins, text repeated near the same position on most pages (running
 * headers/footers; digits are wildcards so "第 2 页" matches "第 3 页"), and
 * 续表 markers anywhere.
 */
export function removeFurniture(pages: PageLines[], extraTops: Map<number, number> = new Map()): void {
  const keyOf = (l: Line, p: PageLines) => {
    const band = l.top < p.height / 2 ? 't' : 'b';
    const y = band === 't' ? l.top : p.height - l.bottom;
    return `${band}|${Math.round(y / 6)}|${l.text.replace(/\d+/g, '#').replace(/\s+/g, '')}`;
  };
  const counts = new Map<string, number>();
  for (const p of pages) {
    const seen = new Set<string>();
    for (const l of p.lines) {
      if (!inMargin(l, p)) continue;
      const k = keyOf(l, p);
      if (seen.has(k)) continue;
      seen.add(k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const minRepeat = Math.max(2, Math.ceil(pages.length * 0.5));
  for (const p of pages) {
    const contentTop = extraTops.get(p.page);
    p.lines = p.lines.filter((l, i) => {
      if (isContinuedMarker(l.text)) return false;
      if (pages.length >= 3 && inMargin(l, p) && (counts.get(keyOf(l, p)) ?? 0) >= minRepeat) return false;
      if (isPageNumber(l.text)) {
        // only at the page's head or foot, not a number inside the body
        const last = i === p.lines.length - 1 || p.lines.slice(i + 1).every((o) => isPageNumber(o.text));
        const first = i === 0 && (contentTop === undefined || l.bottom <= contentTop);
        if ((last && l.top > p.height * 0.75) || (first && l.bottom < p.height * 0.15)) return false;
      }
      return true;
    });
  }
}

function inMargin(l: Line, p: PageLines): boolean {
  return l.bottom < p.height * 0.1 || l.top > p.height * 0.9;
}

export interface TextBlock {
  kind: 'heading' | 'paragraph';
  level: number;
  text: string;
  page: number;
  top: number;
  align?: 'center' | 'right' | 'left';
  first: Line;
  last: Line;
}

export interface Margins {
  left: number;
  right: number;
  bodySize: number;
}

/** Body margins and size from all text lines of the document (the most common left edge/size). */
export function measureMargins(pages: readonly PageLines[]): Margins | null {
  const lefts = new Map<number, number>();
  const sizes = new Map<number, number>();
  const rights: number[] = [];
  for (const p of pages) {
    for (const l of p.lines) {
      const n = [...l.text].length;
      const k = Math.round(l.x0);
      lefts.set(k, (lefts.get(k) ?? 0) + n);
      const s = Math.round(l.size * 2) / 2;
      sizes.set(s, (sizes.get(s) ?? 0) + n);
      rights.push(l.x1);
    }
  }
  if (rights.length === 0) return null;
  const mode = (m: Map<number, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const left = mode(lefts);
  rights.sort((a, b) => a - b);
  const right = rights[Math.floor(rights.length * 0.9)];
  return { left, right, bodySize: mode(sizes) };
}

/**
 * Lines of one page region → paragraphs and headings. A line continues the
 * paragraph above when that line reached the right margin, this one starts at
 * the left margin, same size, and the gap is a normal line gap.
 */
export function linesToBlocks(lines: readonly Line[], page: number, m: Margins, pageWidth: number): TextBlock[] {
  const out: TextBlock[] = [];
  let cur: { lines: Line[] } | null = null;
  const flush = () => {
    if (!cur) return;
    const ls = cur.lines;
    const text = ls.map((l) => l.text).reduce((a, b) => joinWrapped(a, b), '');
    if (text.trim()) {
      const size = Math.max(...ls.map((l) => l.size));
      const align = alignOf(ls, m, pageWidth);
      const big = size >= m.bodySize * 1.15;
      const block: TextBlock = {
        kind: big ? 'heading' : 'paragraph',
        level: big ? (size >= m.bodySize * 1.3 ? 1 : 2) : 0,
        text,
        page,
        top: ls[0].top,
        first: ls[0],
        last: ls[ls.length - 1],
      };
      if (align) block.align = align;
      out.push(block);
    }
    cur = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (cur) {
      const prev = cur.lines[cur.lines.length - 1];
      if (continues(prev, l, m, pageWidth)) {
        cur.lines.push(l);
        continue;
      }
      flush();
    }
    cur = { lines: [l] };
  }
  flush();
  return out;
}

function isCentred(l: Line, m: Margins, pageWidth: number): boolean {
  const mid = (l.x0 + l.x1) / 2;
  const centre = (m.left + m.right) / 2;
  const pageMid = pageWidth / 2;
  const indent = l.x0 - m.left;
  return indent > l.size * 2.5 && (Math.abs(mid - centre) < l.size * 1.2 || Math.abs(mid - pageMid) < l.size * 1.2);
}

function alignOf(ls: readonly Line[], m: Margins, pageWidth: number): 'center' | 'right' | undefined {
  const last = ls[ls.length - 1];
  if (ls.every((l) => isCentred(l, m, pageWidth) || l === ls[0]) && isCentred(last, m, pageWidth)) return 'center';
  if (ls.length === 1 && last.x0 > m.left + (m.right - m.left) * 0.4 && Math.abs(last.x1 - m.right) < last.size * 2.5)
    return 'right';
  return undefined;
}

/** Does line b continue the paragraph whose last line is a? */
export function continues(a: Line, b: Line, m: Margins, pageWidth: number): boolean {
  const size = Math.max(a.size, b.size);
  if (Math.abs(a.size - b.size) > size * 0.12) return false;
  const gap = b.top - a.bottom;
  if (gap > size * 1.6 || gap < -size * 0.5) return false;
  const reachedRight = a.x1 >= m.right - size * 1.5;
  const atLeft = b.x0 <= m.left + size * 0.6;
  if (reachedRight && atLeft) return true;
  // wrapped centred titles: both lines centred, same size
  if (isCentred(a, m, pageWidth) && isCentred(b, m, pageWidth) && a.size > m.bodySize * 1.05) return true;
  // a title's first line spans the text width and the rest is centred
  if (reachedRight && isCentred(b, m, pageWidth) && a.size > m.bodySize * 1.05) return true;
  return false;
}

/**
 * Does a paragraph that ends the text of one page (last line `a`) continue
 * with the first line `b` of the next page? Same rule as within a page, minus
 * the vertical gap.
 */
export function continuesAcrossPages(a: Line, b: Line, m: Margins): boolean {
  const size = Math.max(a.size, b.size);
  if (Math.abs(a.size - b.size) > size * 0.12) return false;
  return a.x1 >= m.right - size * 1.5 && b.x0 <= m.left + size * 0.6;
}

/** Join a wrapped line onto the text before it: nothing between CJK, one space between Latin words. */
export function joinWrapped(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  const last = a[a.length - 1];
  const first = b[0];
  if (/[A-Za-z0-9,.;:!?)]/.test(last) && /[A-Za-z0-9(]/.test(first) && !a.endsWith('-')) return a + ' ' + b;
  return a + b;
}

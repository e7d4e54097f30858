/**
 * Text runs with positions (viewport space: origin top-left, y grows down),
 * grouping into lines, and CJK text normalisation.
 */

/** One positioned glyph run (a pdf.js text item, in viewport coordinates). */
export interface Run {
  text: string;
  x0: number;
  x1: number;
  /** Top and bottom of the glyph box (top < bottom). */
  top: number;
  bottom: number;
  /** Baseline y. */
  base: number;
  /** Font size (height of the em box). */
  size: number;
}

/** A text line: runs sharing a baseline, left to right; its box, size and joined, normalised text. */
export interface Line extends Run {
  runs: Run[];
}

type Matrix = [number, number, number, number, number, number];

export function mul(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0] * m2[0] + m1[2] * m2[1],
    m1[1] * m2[0] + m1[3] * m2[1],
    m1[0] * m2[2] + m1[2] * m2[3],
    m1[1] * m2[2] + m1[3] * m2[3],
    m1[0] * m2[4] + m1[2] * m2[5] + m1[4],
    m1[1] * m2[4] + m1[3] * m2[5] + m1[5],
  ];
}

export interface RawTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/**
 * pdf.js text items → runs in viewport space. Whitespace-only items (the
 * spacing pdf.js synthesises) are dropped: gaps are re-derived from geometry.
 */
export function itemsToRuns(items: readonly unknown[], viewport: readonly number[]): Run[] {
  const runs: Run[] = [];
  for (const raw of items) {
    const it = raw as RawTextItem;
    if (typeof it.str !== 'string' || !Array.isArray(it.transform)) continue;
    if (it.str.trim() === '') continue;
    const t = it.transform;
    const m = mul(viewport, t);
    // Font size in viewport space: length of the text-space y axis.
    const size = Math.hypot(m[2], m[3]) || Math.abs(it.height) || 1;
    // Advance direction in viewport space.
    const adv = Math.hypot(t[0], t[1]) || 1;
    const dx = (viewport[0] * t[0] + viewport[2] * t[1]) / adv;
    const dy = (viewport[1] * t[0] + viewport[3] * t[1]) / adv;
    const ox = m[4];
    const oy = m[5];
    const w = it.width || 0;
    const ex = ox + dx * w;
    const ey = oy + dy * w;
    let x0: number, x1: number, top: number, bottom: number, base: number;
    if (Math.abs(dx) >= Math.abs(dy)) {
      // horizontal text (the normal case)
      x0 = Math.min(ox, ex);
      x1 = Math.max(ox, ex);
      base = (oy + ey) / 2;
      top = base - size * 0.85;
      bottom = base + size * 0.15;
    } else {
      // rotated 90°: treat the run as a vertical strip (rare; landscape stamps)
      x0 = ox - size * 0.5;
      x1 = ox + size * 0.5;
      top = Math.min(oy, ey);
      bottom = Math.max(oy, ey);
      base = bottom;
    }
    runs.push({ text: it.str, x0, x1, top, bottom, base, size });
  }
  return runs;
}

// ---------------------------------------------------------------- text normalisation

/** Characters around which spaces are layout artefacts (CJK text, CJK/full-width punctuation). */
const CJK = '\\u2e80-\\u2fdf\\u3000-\\u303f\\u3040-\\u30ff\\u3100-\\u312f\\u3190-\\u31ff\\u3200-\\u9fff\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef\\u2014\\u2016\\u2018-\\u201f\\u2026\\u00b7\\u3007';
// A space between CJK and a Latin word is the document's own ("发展 and 保持"): the structure stage's normalizeText keeps one.
const SPACE_AFTER_CJK = new RegExp(`([${CJK}])[ \\t\\u00a0\\u3000]+(?![A-Za-z])`, 'g');
const SPACE_BEFORE_CJK = new RegExp(`(?<![A-Za-z])[ \\t\\u00a0\\u3000]+(?=[${CJK}])`, 'g');
const COMPAT = /[\u2e80-\u2fdf\uf900-\ufaff]/g;

/** Kangxi radicals / CJK compatibility ideographs → ordinary ideographs. */
export function mapCompatIdeographs(s: string): string {
  return s.replace(COMPAT, (c) => c.normalize('NFKC'));
}

/**
 * Normalise one line of text: compat ideographs mapped, spaces next to CJK
 * removed (pdf.js inserts them in justified CJK text), runs of spaces between
 * Latin words collapsed to one.
 */
export function normalizeLine(s: string): string {
  let out = mapCompatIdeographs(s);
  out = out.replace(/[\u200b\ufeff\u00ad]/g, '');
  out = out.replace(SPACE_AFTER_CJK, '$1').replace(SPACE_BEFORE_CJK, '');
  out = out.replace(/[ \t\u00a0]{2,}/g, ' ');
  return out.trim();
}

const CJK_CHAR = new RegExp(`[${CJK}]`);
export function isCjkChar(c: string): boolean {
  return CJK_CHAR.test(c);
}

// ---------------------------------------------------------------- lines

/**
 * Group runs into lines: runs whose vertical extents overlap by most of the
 * smaller height share a line (baseline tolerance), left to right.
 * `splitGap` (in multiples of font size) splits a line where runs are far
 * apart horizontally (table columns without rules); Infinity keeps them.
 */
export function groupLines(runs: readonly Run[], splitGap = Infinity): Line[] {
  if (runs.length === 0) return [];
  const sorted = [...runs].sort((a, b) => a.base - b.base || a.x0 - b.x0);
  const clusters: Run[][] = [];
  let cur: Run[] = [];
  let curBase = NaN;
  let curSize = 0;
  for (const r of sorted) {
    const tol = Math.max(1, Math.min(curSize || r.size, r.size) * 0.4);
    if (cur.length && Math.abs(r.base - curBase) <= tol) {
      cur.push(r);
      // keep the baseline of the dominant (largest) run
      if (r.size > curSize) {
        curSize = r.size;
        curBase = r.base;
      }
    } else {
      if (cur.length) clusters.push(cur);
      cur = [r];
      curBase = r.base;
      curSize = r.size;
    }
  }
  if (cur.length) clusters.push(cur);
  const lines: Line[] = [];
  for (const c of clusters) {
    c.sort((a, b) => a.x0 - b.x0);
    let part: Run[] = [];
    for (const r of c) {
      if (part.length) {
        const prev = part[part.length - 1];
        const gap = r.x0 - prev.x1;
        if (gap > splitGap * Math.max(prev.size, r.size)) {
          lines.push(makeLine(part));
          part = [];
        }
      }
      part.push(r);
    }
    if (part.length) lines.push(makeLine(part));
  }
  lines.sort((a, b) => a.base - b.base || a.x0 - b.x0);
  return lines;
}

export function makeLine(runs: Run[]): Line {
  let x0 = Infinity, x1 = -Infinity, top = Infinity, bottom = -Infinity, size = 0, base = 0;
  for (const r of runs) {
    if (r.x0 < x0) x0 = r.x0;
    if (r.x1 > x1) x1 = r.x1;
    if (r.top < top) top = r.top;
    if (r.bottom > bottom) bottom = r.bottom;
    if (r.size > size) {
      size = r.size;
      base = r.base;
    }
  }
  return { runs, x0, x1, top, bottom, base, size, text: joinRuns(runs) };
}

/** Join runs of one line, left to right; a visible gap becomes one space (dropped next to CJK). */
export function joinRuns(runs: readonly Run[]): string {
  let s = '';
  let prev: Run | null = null;
  for (const r of runs) {
    if (prev) {
      const gap = r.x0 - prev.x1;
      if (gap > 0.2 * Math.max(prev.size, r.size)) s += ' ';
    }
    s += r.text;
    prev = r;
  }
  return normalizeLine(s);
}

/** Text of a set of runs (a cell): lines joined with '\n' in reading order. */
export function runsText(runs: readonly Run[]): string {
  return groupLines(runs)
    .map((l) => l.text)
    .filter((t) => t !== '')
    .join('\n');
}

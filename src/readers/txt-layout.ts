import type { TableBlock, TableCell } from '../model/document.js';
import { headerRole, isSeqCell, type ColumnRole } from '../lexicon/kinds.js';
import type { Line } from './txt-clean.js';

/**
 * Tables as `pdftotext -layout` prints them: columns aligned with spaces,
 * each cell wrapped over several lines, the 序号 vertically centred in its
 * row, the header repeated on each page (its labels possibly wrapped over
 * two or three lines), merged group cells printed once in the middle of the
 * rows they span.
 *
 * The rule: header lines are found by their labels; below each header (one
 * "page") the columns are the runs of horizontal positions that hold text on
 * more than a few lines (positions blank on almost every line are gutters),
 * measured one character a column or by East-Asian display width, whichever
 * aligns the text better. Page columns are matched to the header labels in
 * order. Rows are anchored by the numbers of the 序号 column (or, without
 * one, by numbered items opening the task column); the boundary between two
 * anchors is chosen where no column's text runs on mid-phrase and, for
 * centred 序号, so that each anchor sits in the middle of its row. Lines
 * above a page's first row continue the row cut at the foot of the page
 * before. A text block of a group or units column that spans several rows
 * is given to the first row of the run of rows it is centred on (the
 * structure stage fills blank cells down in flattened tables).
 */

export interface LayoutSpan {
  start: number;
  end: number;
  table: TableBlock;
}

type Metric = 'char' | 'display';

interface Tok {
  x0: number;
  x1: number;
  text: string;
}

interface Label {
  x0: number;
  x1: number;
  text: string;
  role: ColumnRole | null;
}

/** Wide (two-column) in a CJK monospace layout: East-Asian wide ranges plus the ambiguous punctuation a CJK font prints full width. */
function isWideCode(c: number): boolean {
  if (c < 0x1100) return c === 0xb7;
  return (
    c <= 0x115f ||
    (c >= 0x2e80 && c <= 0x303e) ||
    (c >= 0x3041 && c <= 0x33ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa000 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    c === 0x2018 || c === 0x2019 || c === 0x201c || c === 0x201d || c === 0x2026 || c === 0x2014 || c === 0x2027
  );
}

/**
 * Lines already split into words while one table is read: the same lines are
 * scanned for the metric choice, header search, header bands and columns, and
 * scanning was two thirds of the reading time.
 */
let wordMemo: Record<Metric, Map<string, Tok[]>> | null = null;

/** Header roles of words and stacked labels while one table is read: each page's header band tries up to nine stackings of the same labels. */
let roleMemo: Map<string, ColumnRole | null> | null = null;

/** Words of a line (runs of non-space characters) with their column extents. Callers must not mutate the result. */
function tokenize(text: string, metric: Metric): Tok[] {
  const memo = wordMemo?.[metric];
  let toks = memo?.get(text);
  if (!toks) {
    toks = scanWords(text, metric);
    memo?.set(text, toks);
  }
  return toks;
}

function scanWords(text: string, metric: Metric): Tok[] {
  const display = metric === 'display';
  const out: Tok[] = [];
  let x = 0;
  let wordStart = -1;
  let wx0 = 0;
  let wx1 = 0;
  let codePoints = 0;
  // Justified text (`办 公 室 牵 头 ，`): characters spread one space apart are one word.
  let lastJustified = false;
  // One pass past the end (i === length) closes the last word.
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const space = c === 32 || c === 0x3000 || c === 9;
    if (space && wordStart >= 0) {
      const word = text.slice(wordStart, i);
      const short = codePoints <= 2;
      const prev = out.length ? out[out.length - 1] : undefined;
      if (prev && short && lastJustified && wx0 - prev.x1 === 1) {
        prev.text += ` ${word}`;
        prev.x1 = wx1;
      } else {
        out.push({ x0: wx0, x1: wx1, text: word });
        lastJustified = short;
      }
      wordStart = -1;
    }
    if (c === 9) {
      x = (Math.floor(x / 8) + 1) * 8;
      continue;
    }
    if (space) {
      x += c === 0x3000 && display ? 2 : 1;
      continue;
    }
    let w = 1;
    let units = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        units = 2;
        if (display) w = 2;
      }
    } else if (display && c >= 0xb7 && isWideCode(c)) w = 2;
    if (wordStart < 0) {
      wordStart = i;
      wx0 = x;
      codePoints = 0;
    }
    codePoints++;
    x += w;
    wx1 = x;
    i += units - 1;
  }
  return out;
}

const BLANK_TEXT = /^[ \u3000\t]*$/;
const isBlankText = (s: string) => BLANK_TEXT.test(s);

/** Characters headerRole strips or collapses before it measures a label (spaces, colons, asterisks). */
/**
 * headerRole of a word or line, memoised while a table is read. A long text
 * is not worth an entry: headerRole turns most away at once by length.
 */
export function labelRole(text: string): ColumnRole | null {
  if (text.length > 14) return headerRole(text);
  let role = roleMemo?.get(text);
  if (role === undefined) {
    role = headerRole(text);
    roleMemo?.set(text, role);
  }
  return role;
}

/** Header labels of one line, or null when the line is not a header line. */
function headerTokens(text: string, metric: Metric): Tok[] | null {
  const toks = tokenize(text, metric);
  if (toks.length < 2) return null;
  // At least 60 % of the words must be labels: stop once too many are not.
  const minRoles = toks.length * 0.6;
  let roles = 0;
  let misses = 0;
  let key = false;
  for (const t of toks) {
    const r = labelRole(t.text);
    if (!r) {
      if (toks.length - ++misses < minRoles) return null;
      continue;
    }
    roles++;
    if (r === 'task' || r === 'units' || r === 'lead') key = true;
  }
  return roles >= 2 && key && roles >= minRoles ? toks : null;
}

export function isLayoutHeaderLine(text: string): boolean {
  return !text.includes('\t') && /\S {2,}\S/.test(text) && headerTokens(text, 'char') !== null;
}

const TABLE_END = /^(公开方式|抄送|主题词|附件\s*\d*\s*[:：]|[（(]此页无正文[）)])/;

/** Stack header tokens of consecutive lines into labels by horizontal overlap. */
function stackLabels(lines: Tok[][]): Label[] {
  const labels: Label[] = [];
  for (const toks of lines) {
    for (const t of toks) {
      const hit = labels.find((l) => t.x0 < l.x1 + 1 && t.x1 > l.x0 - 1);
      if (hit) {
        hit.text += t.text;
        hit.x0 = Math.min(hit.x0, t.x0);
        hit.x1 = Math.max(hit.x1, t.x1);
      } else labels.push({ x0: t.x0, x1: t.x1, text: t.text, role: null });
    }
  }
  labels.sort((a, b) => a.x0 - b.x0);
  for (const l of labels) l.role = labelRole(l.text);
  return labels;
}

interface HeaderBand {
  line: number;
  start: number;
  end: number;
  labels: Label[];
}

/** The header line plus label lines wrapped above or below it ("牵头及责任单" / "位"). */
function headerBand(texts: string[], h: number, metric: Metric, floor: number): HeaderBand {
  const main = tokenize(texts[h], metric);
  const short = (i: number) => {
    if (i < floor || i >= texts.length || isBlankText(texts[i])) return null;
    const toks = tokenize(texts[i], metric);
    return toks.length && toks.every((t) => t.text.length <= 6 && !/^\d+[.、．]?$/.test(t.text) && !/[。，]/.test(t.text)) ? toks : null;
  };
  let best = { up: 0, down: 0, score: stackLabels([main]).filter((l) => l.role).length, labels: stackLabels([main]) };
  for (let up = 0; up <= 2; up++) {
    for (let down = 0; down <= 2; down++) {
      if (!up && !down) continue;
      const rows: Tok[][] = [];
      let ok = true;
      for (let k = up; k >= 1; k--) {
        const t = short(h - k);
        if (!t) ok = false;
        else rows.push(t);
      }
      rows.push(main);
      for (let k = 1; k <= down; k++) {
        const t = short(h + k);
        if (!t) ok = false;
        else rows.push(t);
      }
      if (!ok) continue;
      const labels = stackLabels(rows);
      // Every label the extra lines touch must read as a header label.
      const added = rows.filter((r) => r !== main).flat();
      const clean = added.every((t) => labels.some((l) => l.role && t.x0 >= l.x0 && t.x1 <= l.x1));
      const score = labels.filter((l) => l.role).length;
      if (clean && score > best.score) best = { up, down, score, labels };
    }
  }
  return { line: h, start: h - best.up, end: h + best.down + 1, labels: best.labels };
}

interface Column {
  x0: number;
  x1: number;
}

/*
 * Columns of a page, in steps each small enough to optimise on its own: one
 * function holding every loop took TurboFan about 50 ms to compile, more than
 * the work it did for a whole batch of layout text files.
 */

/** Columns of a page: runs of positions holding text on more than a few lines. */
function pageColumns(rows: Tok[][]): Column[] {
  const occ = occupancy(rows);
  const kept = textRuns(occ).filter((c) => occupiedSum(occ, c) >= 2);
  return splitAtWordStarts(kept, wordStartCounts(rows, occ.length + 1), rows.length);
}

/** occ[x]: lines with text at x, summed from where words start and end rather than position by position. */
function occupancy(rows: Tok[][]): number[] {
  let width = 0;
  for (const r of rows) for (const t of r) width = Math.max(width, t.x1);
  const occ = new Array<number>(width + 1).fill(0);
  for (const r of rows) {
    for (const t of r) {
      occ[t.x0]++;
      occ[t.x1]--;
    }
  }
  for (let x = 1; x <= width; x++) occ[x] += occ[x - 1];
  return occ;
}

/** Runs of positions that are no gutter. */
function textRuns(occ: number[]): Column[] {
  const max = Math.max(0, ...occ);
  const cols: Column[] = [];
  let cur: Column | null = null;
  for (let x = 0; x < occ.length; x++) {
    if (!isGutter(occ, x, max)) {
      if (!cur) {
        cur = { x0: x, x1: x + 1 };
        cols.push(cur);
      } else cur.x1 = x + 1;
    } else cur = null;
  }
  return cols;
}

/**
 * A gutter: blank on every line, or crossed only by a few lines that span
 * two columns (far fewer than hold text on either side of it).
 */
function isGutter(occ: number[], x: number, max: number): boolean {
  if (occ[x] === 0) return true;
  if (occ[x] > max * 0.15) return false;
  const width = occ.length - 1;
  let left = 0;
  let right = 0;
  for (let k = x - 1; k >= Math.max(0, x - 6) && occ[k] > 0; k--) left = Math.max(left, occ[k]);
  for (let k = x + 1; k <= Math.min(width, x + 6) && occ[k] > 0; k++) right = Math.max(right, occ[k]);
  return occ[x] <= 0.5 * Math.min(left, right);
}

/** Lines with text over a column, summed over its positions: under 2, the column is a sliver between two dips. */
function occupiedSum(occ: number[], c: Column): number {
  let sum = 0;
  for (let x = c.x0; x < c.x1; x++) sum += occ[x];
  return sum;
}

/** starts[x]: lines whose text starts at x (a word after a gap, or after a word of three or more characters). */
function wordStartCounts(rows: Tok[][], size: number): number[] {
  const starts = new Array<number>(size).fill(0);
  for (const r of rows) {
    let prev: Tok | null = null;
    for (const t of r) {
      if (!prev || t.x0 - prev.x1 >= 2 || prev.text.length >= 3) starts[t.x0]++;
      prev = t;
    }
  }
  return starts;
}

/**
 * Two columns with no blank position between them (a short group cell
 * ending where the task text of other lines begins): split where many lines
 * start their text and the text left of it is much sparser.
 */
function splitAtWordStarts(cols: Column[], starts: number[], lineCount: number): Column[] {
  const out: Column[] = [];
  for (const c of cols) {
    let x0 = c.x0;
    for (let p = c.x0 + 3; p < c.x1 - 2; p++) {
      const s = starts[p] + starts[p + 1];
      if (s >= Math.max(3, lineCount * 0.25) && p - x0 >= 4) {
        out.push({ x0, x1: p });
        x0 = p;
        p += 2;
      }
    }
    out.push({ x0, x1: c.x1 });
  }
  return out;
}

/**
 * How well the text aligns under each metric: concentration of word starts
 * after a gap (two or more blank columns, or a line's first word). The
 * starts are counted straight from the characters, without scanning the
 * lines into words: scanWords' merging of justified words changes none of
 * them, as a word it merges follows the word before by a single column.
 * Both metrics are measured in one pass over the characters.
 */
function alignmentScores(texts: string[]): Record<Metric, number> {
  // counts[x]: word starts after a gap at position x, one character a column (char) or by display width.
  const charCounts: number[] = [];
  const displayCounts: number[] = [];
  for (const text of texts) lineWordStarts(text, charCounts, displayCounts);
  return { char: concentration(charCounts), display: concentration(displayCounts) };
}

/** Adds a line's word starts after a gap to the tally of each metric (their gaps differ: U+3000 and tabs measure differently). */
function lineWordStarts(text: string, charCounts: number[], displayCounts: number[]): void {
  let xc = 0;
  let xd = 0;
  let inWord = false;
  let prevEndC = -2;
  let prevEndD = -2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 || c === 32 || c === 0x3000) {
      if (inWord) {
        prevEndC = xc;
        prevEndD = xd;
      }
      inWord = false;
      if (c === 9) {
        xc = (Math.floor(xc / 8) + 1) * 8;
        xd = (Math.floor(xd / 8) + 1) * 8;
      } else {
        xc++;
        xd += c === 0x3000 ? 2 : 1;
      }
      continue;
    }
    if (!inWord) {
      inWord = true;
      if (xc - prevEndC >= 2 || prevEndC < 0) tally(charCounts, xc);
      if (xd - prevEndD >= 2 || prevEndD < 0) tally(displayCounts, xd);
    }
    // Widths as scanWords measures them.
    xc++;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        xd += 2;
      } else xd++;
    } else xd += c >= 0xb7 && isWideCode(c) ? 2 : 1;
  }
}

function tally(counts: number[], x: number): void {
  while (counts.length <= x) counts.push(0);
  counts[x]++;
}

/** Sum over positions of starts times the starts at and next to it, over the squared total. */
function concentration(counts: number[]): number {
  let n = 0;
  for (const c of counts) n += c;
  if (!n) return 0;
  let s = 0;
  for (let x = 0; x < counts.length; x++) {
    const c = counts[x];
    if (c) s += c * (c + (x > 0 ? counts[x - 1] : 0) + (x + 1 < counts.length ? counts[x + 1] : 0));
  }
  return s / (n * n);
}

/** Monotone matching of page columns to header labels (a label may get several columns, or none). */
function matchColumns(cols: Column[], labels: Label[], contentLabel: number): number[] {
  const n = cols.length;
  const m = labels.length;
  const dist = (c: Column, l: Label, j: number) => {
    const gap = Math.max(0, l.x0 - c.x1, c.x0 - l.x1);
    return gap - (j === contentLabel ? 0.5 : 0);
  };
  // dp[i][j]: columns [0,i) assigned, the last one to label j-1 (j=0: none yet).
  const INF = 1e9;
  const SKIP = 8;
  const dp: number[][] = [];
  const from: number[][] = [];
  for (let i = 0; i <= n; i++) {
    dp.push(new Array<number>(m + 1).fill(INF));
    from.push(new Array<number>(m + 1).fill(-1));
  }
  dp[0][0] = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= m; j++) {
      if (dp[i][j] >= INF) continue;
      for (let k = Math.max(1, j); k <= m; k++) {
        // The task text is one column; wider text spans into it.
        if (k === j && k - 1 === contentLabel) continue;
        const cost = dp[i][j] + dist(cols[i], labels[k - 1], k - 1) + SKIP * Math.max(0, k === j ? 0 : k - j - 1);
        if (cost < dp[i + 1][k]) {
          dp[i + 1][k] = cost;
          from[i + 1][k] = j;
        }
      }
    }
  }
  let bestJ = 1;
  for (let j = 1; j <= m; j++) if (dp[n][j] + SKIP * (m - j) < dp[n][bestJ] + SKIP * (m - bestJ)) bestJ = j;
  const out = new Array<number>(n).fill(0);
  let j = bestJ;
  for (let i = n; i > 0; i--) {
    out[i - 1] = j - 1;
    j = from[i][j];
  }
  return out;
}

/** A task item's own number opening the task column (`3.`, `12、`). */
const NUMBERED_ITEM = /^(\d{1,3})\s*[.、．]/;

/** Code points of a string, counted without spreading it into an array. */
function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // The high half of a surrogate pair counts; its low half does not.
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++;
  }
  return n;
}

const TERMINAL = /[。！？；;!?]$|(负责|牵头|协办|配合|参与|落实|承办)[。．.]?$/;
const OPEN_END = /[、，,（(“《〔:：]$/;

/**
 * The last three characters of `before + last`: all TERMINAL and OPEN_END
 * can match. Tested on the whole text, a regex anchored at its end is tried
 * from every position, and cell texts run to hundreds of characters.
 */
function phraseTail(before: string, last: string): string {
  if (last.length >= 3) return last.slice(-3);
  const s = before + last;
  return s.length > 3 ? s.slice(-3) : s;
}

/** Lists of text pieces, one per column. */
function emptyColumns(n: number): string[][] {
  const out: string[][] = [];
  for (let c = 0; c < n; c++) out.push([]);
  return out;
}
const NEW_ITEM = /^(\d{1,3}\s*[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．])/;

interface PageData {
  /** Text of each data line by global column (its words joined with spaces): joined[line][col]. */
  joined: string[][];
  anchors: { line: number; seq: string }[];
  first: boolean;
  last: boolean;
}

/** A table printed by `pdftotext -layout` whose header line is `start`, or null. */
export function readLayoutTable(lines: Line[], start: number, floor: number): LayoutSpan | null {
  wordMemo = { char: new Map(), display: new Map() };
  roleMemo = new Map();
  try {
    return readLayoutTableWords(lines, start, floor);
  } finally {
    wordMemo = null;
    roleMemo = null;
  }
}

function readLayoutTableWords(lines: Line[], start: number, floor: number): LayoutSpan | null {
  const texts = lines.map((l) => l.text);
  const stop = tableEnd(texts, start);
  const region = texts.slice(start, stop);
  const score = alignmentScores(region);
  const metric: Metric = score.display > score.char * 1.05 ? 'display' : 'char';

  const bands = pageHeaderBands(texts, start, stop, floor, metric);
  if (!bands) return null;
  // Global label list from the fullest header.
  const ref = bands.reduce((a, b) => (b.labels.filter((l) => l.role).length > a.labels.filter((l) => l.role).length ? b : a));
  const globalLabels = ref.labels;
  let contentLabel = -1;
  globalLabels.forEach((l, j) => {
    if (l.role === 'task') contentLabel = j;
  });
  if (contentLabel < 0) return null;

  const pages = readPages(texts, bands, stop, metric, globalLabels, contentLabel);
  if (!pages.length) return null;

  // Sub-columns per label: the most any page shows.
  // Only group labels (task labels before the task text) hold several
  // columns; several page columns under any other label are one column
  // drifting within the page.
  const K = globalLabels.map((l, j) => (l.role === 'task' && j < contentLabel ? Math.max(1, ...pages.map((p) => p.labelOf.filter((x) => x === j).length)) : 1));
  const offset: number[] = [];
  K.reduce((acc, k, j) => ((offset[j] = acc), acc + k), 0);
  const ncols = K.reduce((a, b) => a + b, 0);
  const pitch = (j: number) => {
    const ds: number[] = [];
    for (const p of pages) {
      const cs = p.cols.filter((_, i) => p.labelOf[i] === j);
      if (cs.length === K[j]) for (let i = 1; i < cs.length; i++) ds.push((cs[i].x0 + cs[i].x1 - cs[i - 1].x0 - cs[i - 1].x1) / 2);
    }
    return ds.length ? ds.reduce((a, b) => a + b, 0) / ds.length : 6;
  };
  const pitches = globalLabels.map((_, j) => pitch(j));

  const seqLabel = globalLabels.findIndex((l) => l.role === 'seq');
  const contentCol = offset[contentLabel] + K[contentLabel] - 1;
  const seqCol = seqLabel >= 0 ? offset[seqLabel] : -1;

  // Cells of each line by global column.
  const plan: ColumnPlan = { ncols, contentCol, seqCol };
  const pageData: PageData[] = pages.map((p, pi) => {
    const { joined, anchors } = pageCells(p, globalColumns(p, globalLabels.length, K, offset, pitches), plan);
    return { joined, anchors, first: pi === 0, last: pi === pages.length - 1 };
  });

  // Keep anchors whose numbers climb.
  let lastSeq = -1;
  for (const pd of pageData) {
    pd.anchors = pd.anchors.filter((a) => {
      const n = Number(a.seq.replace(/[^\d]/g, ''));
      if (n <= lastSeq) return false;
      lastSeq = n;
      return true;
    });
  }
  if (pageData.reduce((a, p) => a + p.anchors.length, 0) < 2) return null;

  // Rows: the band of lines of each anchor.
  const rows: RowOut[] = [];
  for (let pi = 0; pi < pageData.length; pi++) bandPageRows(pageData[pi], pi + 1, rows, plan);

  // Build the table: header row with labels spanning their sub-columns.
  const cells: TableCell[] = [];
  globalLabels.forEach((l, j) => cells.push({ row: 0, col: offset[j], rowSpan: 1, colSpan: K[j], text: l.text }));
  rows.forEach((r, i) => {
    for (let c = 0; c < ncols; c++) cells.push({ row: i + 1, col: c, rowSpan: 1, colSpan: 1, text: r.cols[c].join('\n'), page: r.page });
  });
  const table: TableBlock = { kind: 'table', rows: rows.length + 1, cols: ncols, cells, origin: 'flattened', headerRows: [0], pageBreakBefore: [] };
  return { start: bands[0].start, end: stop, table };
}

/** The table's extent below its first header line: until the notice's tail or a long blank gap. */
function tableEnd(texts: string[], start: number): number {
  let blanks = 0;
  for (let i = start + 1; i < texts.length; i++) {
    const t = texts[i].trim();
    if (!t) {
      blanks++;
      continue;
    }
    if (TABLE_END.test(t) || (blanks >= 3 && ![0, 1, 2].some((k) => isLayoutHeaderLine(texts[i + k] ?? '')))) return i - blanks;
    blanks = 0;
  }
  return texts.length;
}

/** Header bands of every page: lines labelled like the first header line; null when `start` is no header line under the metric. */
function pageHeaderBands(texts: string[], start: number, stop: number, floor: number, metric: Metric): HeaderBand[] | null {
  const mainToks = headerTokens(texts[start], metric);
  if (!mainToks) return null;
  const signature = stackLabels([mainToks]).map((l) => l.role).join('|');
  const bands: HeaderBand[] = [];
  for (let i = start; i < stop; i++) {
    // A line stacks none of its words together (they are a column apart at
    // least), so a line labelled like the first header has as many words:
    // the labels of other lines need not be looked up.
    if (tokenize(texts[i], metric).length !== mainToks.length) continue;
    const toks = headerTokens(texts[i], metric);
    if (!toks || stackLabels([toks]).map((l) => l.role).join('|') !== signature) continue;
    bands.push(headerBand(texts, i, metric, bands.length ? bands[bands.length - 1].end : floor));
  }
  return bands;
}

interface Page {
  lines: number[];
  toks: Tok[][];
  cols: Column[];
  labelOf: number[];
  labels: Label[];
}

/** Per page (the lines below each header band): data lines, their words, columns, columns matched to labels. */
function readPages(texts: string[], bands: HeaderBand[], stop: number, metric: Metric, globalLabels: Label[], contentLabel: number): Page[] {
  const pages: Page[] = [];
  for (let b = 0; b < bands.length; b++) {
    const from = bands[b].end;
    const to = b + 1 < bands.length ? bands[b + 1].start : stop;
    const idx: number[] = [];
    for (let i = from; i < to; i++) if (!isBlankText(texts[i])) idx.push(i);
    if (!idx.length) continue;
    const toks = idx.map((i) => tokenize(texts[i], metric));
    const cols = pageColumns(toks);
    // Page labels mapped to global labels by role order.
    const labels = bands[b].labels.length === globalLabels.length ? bands[b].labels : globalLabels;
    const labelOf = matchColumns(cols, labels, contentLabel);
    pages.push({ lines: idx, toks, cols, labelOf, labels });
  }
  return pages;
}

/** Global column of each page column: K[j] sub-columns from offset[j] per label, several page columns spread by their pitch. */
function globalColumns(p: Page, labelCount: number, K: number[], offset: number[], pitches: number[]): number[] {
  const out = new Array<number>(p.cols.length).fill(0);
  for (let j = 0; j < labelCount; j++) {
    const members = p.cols.map((_, i) => i).filter((i) => p.labelOf[i] === j);
    if (K[j] === 1) {
      for (const i of members) out[i] = offset[j];
      continue;
    }
    if (members.length === K[j]) {
      members.forEach((i, s) => (out[i] = offset[j] + s));
      continue;
    }
    const l = p.labels[j];
    const centre = (l.x0 + l.x1) / 2;
    let prev = -1;
    members.forEach((i, n) => {
      const c = (p.cols[i].x0 + p.cols[i].x1) / 2;
      let s = Math.round((c - centre) / pitches[j] + (K[j] - 1) / 2);
      s = Math.max(prev + 1, Math.min(K[j] - 1 - (members.length - 1 - n), s));
      s = Math.max(0, Math.min(K[j] - 1, s));
      prev = s;
      out[i] = offset[j] + s;
    });
  }
  return out;
}

/*
 * pageCells is split per line and per word: as one function it took TurboFan
 * 15-40 ms to compile, twice when a branch it had not seen yet deoptimised it.
 */

/** Each data line's words by global column (gcol: global column of each page column), and the page's row anchors. */
function pageCells(p: Page, gcol: number[], plan: ColumnPlan): Pick<PageData, 'joined' | 'anchors'> {
  const contentStart = p.cols.find((_, i) => gcol[i] === plan.contentCol)?.x0 ?? 0;
  const joined: string[][] = [];
  const anchors: { line: number; seq: string }[] = [];
  for (let li = 0; li < p.toks.length; li++) {
    const cells = lineCells(p, p.toks[li], gcol, plan);
    joined.push(cells.row);
    const seq = lineAnchor(cells, p.toks[li], plan, contentStart);
    if (seq !== null) anchors.push({ line: li, seq });
  }
  return { joined, anchors };
}

interface LineCells {
  /** The line's words joined by global column. */
  row: string[];
  /** Words in the 序号 column (one word: an anchor). */
  seqWords: number;
  /** The task column's first word. */
  firstContentWord: string | undefined;
}

/** A data line's words by global column. */
function lineCells(p: Page, toks: Tok[], gcol: number[], plan: ColumnPlan): LineCells {
  const { ncols, contentCol, seqCol } = plan;
  const row = new Array<string>(ncols).fill('');
  let seqWords = 0;
  let firstContentWord: string | undefined;
  let prevTok: Tok | null = null;
  let prevCol = -1;
  for (const t of toks) {
    let i = wordColumn(p.cols, gcol, contentCol, t);
    // A word glued by one space to the word before and starting left of
    // its column (`55 号）要`) overflows from that word's column.
    if (prevTok && prevCol >= 0 && prevCol < i && t.x0 - prevTok.x1 === 1 && t.x0 === p.cols[i].x0 - 1 && codePointCount(t.text) <= 4) i = prevCol;
    prevTok = t;
    prevCol = i;
    const col = p.cols.length ? gcol[i] : contentCol;
    row[col] = row[col] ? `${row[col]} ${t.text}` : t.text;
    if (col === seqCol) seqWords++;
    if (col === contentCol && firstContentWord === undefined) firstContentWord = t.text;
  }
  return { row, seqWords, firstContentWord };
}

/** The page column holding most of the word; the nearest one when it sits in a gutter. */
function wordColumn(cols: Column[], gcol: number[], contentCol: number, t: Tok): number {
  let best = -1;
  let bestOv = 0;
  let near = 0;
  let nearD = Infinity;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    const ov = Math.min(c.x1, t.x1) - Math.max(c.x0, t.x0);
    if (ov > bestOv || (ov === bestOv && ov > 0 && gcol[i] === contentCol)) {
      bestOv = ov;
      best = i;
    }
    const d = Math.max(0, c.x0 - t.x1, t.x0 - c.x1);
    if (d < nearD) {
      nearD = d;
      near = i;
    }
  }
  return best >= 0 ? best : near;
}

/** The row number a data line opens (a lone 序号, or without a 序号 column a numbered item at the task column's start), or null. */
function lineAnchor(cells: LineCells, toks: Tok[], plan: ColumnPlan, contentStart: number): string | null {
  const { row } = cells;
  if (plan.seqCol >= 0) return cells.seqWords === 1 && isSeqCell(row[plan.seqCol]) ? row[plan.seqCol] : null;
  const m = NUMBERED_ITEM.exec(row[plan.contentCol]);
  if (!m) return null;
  const firstTok = toks.find((t) => t.text === cells.firstContentWord);
  return firstTok && firstTok.x0 <= contentStart + 3 ? m[1] : null;
}

/*
 * Row banding, page by page. Kept out of readLayoutTableWords: one function
 * holding every step was so large that optimising it took the compiler about
 * a second of a batch worker's single thread.
 */

interface RowOut {
  cols: string[][];
  page: number;
}

/** The table's global columns as the banding reads them. */
interface ColumnPlan {
  ncols: number;
  contentCol: number;
  /** -1 without a 序号 column; with one, each 序号 is centred in its row. */
  seqCol: number;
}

/** Text of a data line in a global column ('' past the page's lines). */
function cellText(pd: PageData, li: number, c: number): string {
  return pd.joined[li]?.[c] ?? '';
}

/** Cost of a row boundary before line b: columns whose text runs on mid-phrase across it. */
function boundaryCost(pd: PageData, b: number, plan: ColumnPlan): number {
  const N = pd.joined.length;
  if (b <= 0 || b >= N) return 0;
  let cost = 0;
  for (let c = 0; c < plan.ncols; c++) {
    if (c === plan.seqCol) continue;
    let prev = -1;
    for (let k = b - 1; k >= Math.max(0, b - 2); k--) if (cellText(pd, k, c)) { prev = k; break; }
    let next = -1;
    for (let k = b; k <= Math.min(N - 1, b + 1); k++) if (cellText(pd, k, c)) { next = k; break; }
    if (prev < 0 || next < 0) continue;
    const pt = phraseTail(prev > 0 ? cellText(pd, prev - 1, c) : '', cellText(pd, prev, c));
    const nt = cellText(pd, next, c);
    if (TERMINAL.test(pt) || NEW_ITEM.test(nt)) continue;
    cost += c === plan.contentCol ? 4 : 2;
    if (OPEN_END.test(pt)) cost += 2;
  }
  return cost;
}

/** A page starting in the middle of the last row's cells continues it. */
function breakCost(pd: PageData, rows: RowOut[], plan: ColumnPlan): number {
  if (!rows.length) return 0;
  const last = rows[rows.length - 1].cols;
  let cost = 0;
  for (let c = 0; c < plan.ncols; c++) {
    if (c === plan.seqCol || !last[c].length) continue;
    const pieces = last[c];
    const pt = phraseTail(pieces.length >= 2 ? pieces[pieces.length - 2] : '', pieces[pieces.length - 1]);
    const nt = cellText(pd, 0, c) || cellText(pd, 1, c);
    if (!nt || TERMINAL.test(pt) || NEW_ITEM.test(nt)) continue;
    cost += (c === plan.contentCol ? 4 : 2) + (OPEN_END.test(pt) ? 2 : 0);
  }
  return cost;
}

/** Lines of each text run of the page's lines in column c (from line `from`), split where a phrase ends or an item starts. */
function textBlocks(pd: PageData, c: number, from: number): number[][] {
  const blocks: number[][] = [];
  let cur: number[] | null = null;
  let lastLine = -10;
  for (let li = from; li < pd.joined.length; li++) {
    const t = cellText(pd, li, c);
    if (!t) continue;
    const prevT = cur ? phraseTail(cur.length >= 2 ? cellText(pd, cur[cur.length - 2], c) : '', cellText(pd, cur[cur.length - 1], c)) : '';
    if (!cur || li - lastLine > 2 || (TERMINAL.test(prevT) && !OPEN_END.test(prevT)) || NEW_ITEM.test(t)) {
      cur = [];
      blocks.push(cur);
    }
    cur.push(li);
    lastLine = li;
  }
  return blocks;
}

/** Whether any of the first `count` rows has text in column c. */
function rowsHaveText(rows: RowOut[], count: number, c: number): boolean {
  for (let r = 0; r < count; r++) if (rows[r].cols[c].length) return true;
  return false;
}

/*
 * The boundary DP is split into small functions: as one function with its
 * cost closures inlined, it took TurboFan about 40 ms to compile.
 */

/** First line of each of the page's rows (B[i] for anchor i; B[n] = the page's line count), by DP over the allowed boundaries. */
function pageBoundaries(pd: PageData, rows: RowOut[], plan: ColumnPlan): number[] {
  const N = pd.joined.length;
  // Filled by push: map()'s array changes elements kind with its length, which deoptimised this function.
  const A: number[] = [];
  for (const a of pd.anchors) A.push(a.line);
  const n = A.length;
  const { lo, hi } = boundaryRanges(pd, rows, plan, A);
  const centred = plan.seqCol >= 0;
  // Row i is scored by how well its anchor is centred, except a last row running on to the next page.
  const scored = (i: number) => centred && !(i === n - 1 && !pd.last);
  // DP over boundaries; costs of boundary i kept in an array indexed from lo[i].
  let prevCost = firstBoundaryCosts(pd, rows, plan, lo[0], hi[0]);
  const back: number[][] = [];
  for (let i = 1; i < n; i++) {
    const step = boundaryStep(pd, plan, prevCost, lo[i - 1], lo[i], hi[i], A[i - 1], scored(i - 1));
    back.push(step.back);
    prevCost = step.cost;
  }
  const endJ = cheapestPrevious(prevCost, lo[n - 1], N, A[n - 1], scored(n - 1));
  const B = new Array<number>(n + 1);
  B[n] = N;
  B[n - 1] = lo[n - 1] + endJ;
  for (let i = n - 1; i >= 1; i--) B[i - 1] = back[i - 1][B[i] - lo[i]];
  return B;
}

/** Allowed range [lo[i], hi[i]] of each boundary b_i (i = 0..n-1; b_n = the page's line count). */
function boundaryRanges(pd: PageData, rows: RowOut[], plan: ColumnPlan, A: number[]): { lo: number[]; hi: number[] } {
  const centred = plan.seqCol >= 0;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < A.length; i++) {
    lo[i] = i === 0 ? 0 : A[i - 1] + 1;
    hi[i] = A[i];
    if (!centred) {
      // The task text of the row above stays in it.
      let lastContent = lo[i] - 1;
      for (let k = lo[i]; k < A[i]; k++) if (cellText(pd, k, plan.contentCol)) lastContent = k;
      lo[i] = Math.max(lo[i], lastContent + 1);
    }
    if (i === 0 && (!rows.length)) {
      lo[0] = 0;
      hi[0] = 0;
    }
    if (lo[i] > hi[i]) lo[i] = hi[i];
  }
  return { lo, hi };
}

/** Costs of the first boundary at each line of its range: at line 0, the cost of a page break inside the last row. */
function firstBoundaryCosts(pd: PageData, rows: RowOut[], plan: ColumnPlan, lo: number, hi: number): number[] {
  const costs: number[] = [];
  for (let b = lo; b <= hi; b++) costs.push(b > 0 ? boundaryCost(pd, b, plan) + 0.01 : breakCost(pd, rows, plan));
  return costs;
}

/** One DP step: for each boundary b in [lo, hi], its cost with the cheapest previous boundary, and which that was. */
function boundaryStep(pd: PageData, plan: ColumnPlan, prevCost: number[], prevLo: number, lo: number, hi: number, prevAnchor: number, scored: boolean): { cost: number[]; back: number[] } {
  const cost: number[] = [];
  const back: number[] = [];
  for (let b = lo; b <= hi; b++) {
    const j = cheapestPrevious(prevCost, prevLo, b, prevAnchor, scored);
    cost.push(prevCost[j] + rowCentreCost(prevLo + j, b, prevAnchor, scored) + boundaryCost(pd, b, plan));
    back.push(prevLo + j);
  }
  return { cost, back };
}

/** Index (from prevLo) of the previous boundary that makes the row ending before line `end` cheapest; the first on a tie. */
function cheapestPrevious(prevCost: number[], prevLo: number, end: number, anchor: number, scored: boolean): number {
  let best = Infinity;
  let arg = -1;
  for (let j = 0; j < prevCost.length; j++) {
    const c = prevCost[j] + rowCentreCost(prevLo + j, end, anchor, scored);
    if (c < best) {
      best = c;
      arg = j;
    }
  }
  return arg;
}

/** How far a row's anchor sits from the row's middle. */
function rowCentreCost(start: number, end: number, anchor: number, scored: boolean): number {
  return scored ? Math.abs((start + end - 1) / 2 - anchor) : 0;
}

/** The page's lines into rows: new rows for its anchors, lines above the first continuing the last row. */
function bandPageRows(pd: PageData, page: number, rows: RowOut[], plan: ColumnPlan): void {
  const { ncols, contentCol, seqCol } = plan;
  const N = pd.joined.length;
  const n = pd.anchors.length;
  if (!n) {
    // A page with no new row: it continues the last row.
    if (rows.length) continueLastRow(pd, N, rows, ncols);
    return;
  }
  const B = pageBoundaries(pd, rows, plan);

  // Continuation of the row cut at the foot of the page before.
  if (B[0] > 0 && rows.length) continueLastRow(pd, B[0], rows, ncols);
  const bands: PageBands = { B, rowBase: rows.length, n, N };
  for (let i = 0; i < n; i++) rows.push({ cols: emptyColumns(ncols), page });
  // Content and 序号: by band.
  for (let li = B[0]; li < N; li++) {
    const r = rowOfLine(bands, li);
    const content = cellText(pd, li, contentCol);
    if (content) rows[r].cols[contentCol].push(content);
    const seq = seqCol >= 0 ? cellText(pd, li, seqCol) : '';
    if (seq) rows[r].cols[seqCol].push(seq);
  }
  // Other columns: text blocks, each to the first row of the run it is centred on.
  for (let c = 0; c < ncols; c++) if (c !== contentCol && c !== seqCol) placeTextBlocks(pd, c, rows, bands);
}

/*
 * bandPageRows' steps and closures are functions of their own: as one
 * function it was among the largest TurboFan had to compile.
 */

/** A page's rows: row rowBase + i spans lines B[i] to B[i + 1] (B[n] = N, the page's line count). */
interface PageBands {
  B: number[];
  rowBase: number;
  n: number;
  N: number;
}

/** Lines [0, end) of the page appended to the last row, column by column. */
function continueLastRow(pd: PageData, end: number, rows: RowOut[], ncols: number): void {
  for (let li = 0; li < end; li++) for (let c = 0; c < ncols; c++) if (cellText(pd, li, c)) rows[rows.length - 1].cols[c].push(cellText(pd, li, c));
}

function rowOfLine(bands: PageBands, li: number): number {
  for (let i = bands.n - 1; i >= 0; i--) if (li >= bands.B[i]) return bands.rowBase + i;
  return bands.rowBase - 1;
}

function bandStart(bands: PageBands, r: number): number {
  return bands.B[r - bands.rowBase];
}

function bandEnd(bands: PageBands, r: number): number {
  return r - bands.rowBase + 1 <= bands.n ? bands.B[r - bands.rowBase + 1] : bands.N;
}

/** The run of rows from row s (ending at r1 or later) that the block of lines t0..t1 is best centred on: its last row, and how far off centre the block sits. */
function fitRun(bands: PageBands, s: number, r1: number, t0: number, t1: number): { cost: number; e: number } {
  let best = { cost: Infinity, e: r1 };
  for (let e = Math.max(r1, s); e < bands.rowBase + bands.n; e++) {
    // Where a block of this height centred on the run would start.
    const cost = Math.abs(bandStart(bands, s) + Math.floor((bandEnd(bands, e) - bandStart(bands, s) - (t1 - t0 + 1)) / 2) - t0);
    if (cost < best.cost - 1e-9) best = { cost, e };
  }
  return best;
}

/** Text blocks of column c, each to the first row of the run of rows it is centred on. */
function placeTextBlocks(pd: PageData, c: number, rows: RowOut[], bands: PageBands): void {
  const { rowBase } = bands;
  let runEnd = rowBase - 1;
  for (const blk of textBlocks(pd, c, bands.B[0])) {
    const t0 = blk[0];
    const t1 = blk[blk.length - 1];
    const r0 = rowOfLine(bands, t0);
    const r1 = rowOfLine(bands, t1);
    let s = r0;
    let f = fitRun(bands, r0, r1, t0, t1);
    // Text that starts level with its row's first line is top-aligned
    // there; otherwise it may be centred on a run of rows starting earlier.
    const topAligned = t0 - bandStart(bands, r0) <= 1 && bandEnd(bands, r0) - 1 - t1 >= 2;
    if (!topAligned) {
      // The longest run (earliest start) that centres the block about as
      // well as its own row does.
      const own = f.cost;
      for (let k = Math.max(rowBase, Math.min(r0, runEnd + 1)); k < r0; k++) {
        const g = fitRun(bands, k, r1, t0, t1);
        // On a tie the block keeps its own row, unless the rows before it
        // would then have no text above them in this column at all.
        if (g.cost <= 1 && (g.cost < own || (g.cost === own && !rowsHaveText(rows, k, c)))) {
          s = k;
          f = g;
          break;
        }
      }
    }
    runEnd = Math.max(f.e, s);
    for (const li of blk) rows[s].cols[c].push(cellText(pd, li, c));
  }
}

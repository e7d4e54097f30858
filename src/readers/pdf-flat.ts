/**
 * Tables without ruling lines. Columns come from the gutters between aligned
 * text (the header row's labels tell a table is there); rows are anchored on
 * the 序号-style column (bare numbers) or on cell text starting with "1." —
 * cells are vertically centred in their row, so each row-level cell is
 * centred on its anchor, and a block of text that several anchors fall into
 * is either several abutting row cells (it splits into pieces centred on
 * the anchors) or a merged group cell. Each row is a band around its anchor
 * as tall as its tallest single-row text; every other block of text takes the
 * run of rows whose bands hold it and on whose middle it is centred, and its
 * text goes to the run's first row. Output is origin 'flattened'.
 */
import type { Line, Run } from './pdf-text.js';
import { groupLines, makeLine, runsText } from './pdf-text.js';

export interface FlatCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
}

export interface FlatTable {
  top: number;
  bottom: number;
  rows: number;
  cols: number;
  cells: FlatCell[];
}

interface Column {
  x0: number;
  x1: number;
}

/** Carried from page to page: the columns of a table that ran to the page foot. */
export interface FlatState {
  columns: Column[] | null;
  /** Evidence of how the continued table's cells sit in their rows, summed over its pages. */
  align?: AlignEvidence;
  /** The same evidence column by column. */
  colAlign?: AlignEvidence[];
  /** Columns with text on the table's last line: cells the page break may have cut. */
  openCols?: number[];
  /** Columns whose cell in the table's last row holds text (a merged cell there may go on). */
  lastRowCols?: number[];
  /** Columns whose text at the page foot stops short of a cell's end ("…有关"): it goes on overleaf. */
  cutCols?: number[];
}

/** Header labels of task tables (layout knowledge: they mark where a table starts). */
const LABELS = [
  '序号',
  '编号',
  '工作任务',
  '工作内容',
  '工作要求',
  '工作要点',
  '工作目标',
  '工作措施',
  '具体要求',
  '具体任务',
  '具体措施',
  '任务内容',
  '主要内容',
  '主要任务',
  '重点任务',
  '任务分工',
  '责任单位',
  '牵头单位',
  '责任科室',
  '责任部门',
  '牵头部门',
  '配合单位',
  '协办单位',
  '牵头及责任单位',
  '牵头单位及责任单位',
  '完成时限',
  '完成时间',
  '工作时限',
  '时间进度',
  '时间安排',
  '备注',
];

/** A header label, or the start of one at least 3 characters long (a label wrapped inside its cell: "牵头及责任单" + "位"). */
function isLabel(text: string): boolean {
  const t = text.replace(/\s+/g, '');
  if (t.length < 2) return false;
  return LABELS.some((l) => t === l || (t.length >= 3 && l.startsWith(t)));
}

/**
 * The first line of a label wrapped inside a narrow header cell ("序" over "号",
 * "重点" over "任务"): too short to be a label alone, a label with the run just
 * below it in the same column.
 */
function isWrappedLabelHead(r: Run, runs: readonly Run[]): boolean {
  const t = r.text.replace(/\s+/g, '');
  if (t.length === 0 || t.length > 3 || isLabel(t)) return false;
  return runs.some(
    (b) => b !== r && b.x0 < r.x1 && r.x0 < b.x1 && b.top >= r.bottom - r.size * 0.3 && b.top <= r.bottom + r.size * 0.8 && isLabel(t + b.text),
  );
}

/** Find the header band: ≥ 3 label runs (or 2 when one is 序号) whose boxes overlap vertically (centred labels). */
function findHeader(runs: readonly Run[]): { top: number; bottom: number; runs: Run[] } | null {
  const labels = runs.filter((r) => isLabel(r.text) || isWrappedLabelHead(r, runs)).sort((a, b) => a.top - b.top);
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i];
    const band = labels.filter((b) => b.top < a.bottom + a.size * 1.5 && b.bottom > a.top - a.size * 0.2);
    // distinct columns
    const xs = band.map((b) => b.x0).sort((p, q) => p - q);
    let distinct = 0;
    let last = -Infinity;
    for (const x of xs) {
      if (x - last > a.size) distinct++;
      last = x;
    }
    if (distinct >= 3 || (distinct >= 2 && band.some((b) => b.text.replace(/\s+/g, '') === '序号'))) {
      let top = Math.min(...band.map((b) => b.top));
      let bottom = Math.max(...band.map((b) => b.bottom));
      const wrapped: Run[] = [];
      // a label wrapped in a top-aligned header cell: its next line ("牵头及责任单" + "位")
      // sits below the other labels, right under its first part
      for (let grew = true; grew; ) {
        grew = false;
        for (const r of runs) {
          if (r.top < bottom - r.size * 0.2 || r.top > bottom + r.size * 0.8 || band.includes(r)) continue;
          const above = band.find((b) => b.x0 < r.x1 && r.x0 < b.x1 && b.bottom <= r.top + r.size * 0.2 && b.bottom > r.top - r.size);
          if (!above || !isLabel(above.text + r.text)) continue;
          band.push(r);
          wrapped.push(r);
          bottom = Math.max(bottom, r.bottom);
          grew = true;
        }
      }
      // other runs inside the band (wrapped label parts)
      const inBand = runs.filter(
        (r) => wrapped.includes(r) || (r.top < bottom + r.size * (wrapped.length ? -0.2 : 0.3) && r.bottom > top - r.size * 0.3),
      );
      top = Math.min(top, ...inBand.map((r) => r.top));
      bottom = Math.max(bottom, ...inBand.map((r) => r.bottom));
      return { top, bottom, runs: inBand };
    }
  }
  return null;
}

/** Column ranges from the x-profile of the runs (gutters = x where no cell run lies). */
function findColumns(runs: readonly Run[], maxWidth: number): Column[] {
  const cellRuns = runs.filter((r) => r.x1 - r.x0 < maxWidth);
  if (cellRuns.length === 0) return [];
  const minX = Math.floor(Math.min(...cellRuns.map((r) => r.x0)));
  const maxX = Math.ceil(Math.max(...cellRuns.map((r) => r.x1)));
  const n = maxX - minX + 1;
  const prof = new Int32Array(n + 1);
  for (const r of cellRuns) {
    // a hair inside the run so touching runs in adjacent columns do not bridge a gutter
    const a = Math.max(0, Math.floor(r.x0 + 0.5) - minX);
    const b = Math.min(n, Math.ceil(r.x1 - 0.5) - minX);
    prof[a] += 1;
    prof[b] -= 1;
  }
  const cols: Column[] = [];
  let acc = 0;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    acc += i < n ? prof[i] : -acc;
    const on = i < n && acc > 0;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      cols.push({ x0: start + minX, x1: i + minX });
      start = -1;
    }
  }
  // gutters narrower than 2pt are glyph spacing, not column gaps
  const merged: Column[] = [];
  for (const c of cols) {
    const prev = merged[merged.length - 1];
    if (prev && c.x0 - prev.x1 < 2) prev.x1 = c.x1;
    else merged.push({ ...c });
  }
  return merged;
}

/**
 * Columns that are empty on this page still have their header label: a
 * label (wrapped parts joined) standing in a gutter between body columns,
 * clear of both, is a column of its own. Only where each neighbouring body
 * column has a label of its own over it — otherwise the label is that
 * column's (a centred "序号" over left-aligned numbers can miss them).
 */
/** The header's labels, wrapped parts joined: runs stacked in one x range. */
function labelGroups(headerRuns: readonly Run[]): { x0: number; x1: number; runs: Run[] }[] {
  const groups: { x0: number; x1: number; runs: Run[] }[] = [];
  for (const r of [...headerRuns].sort((a, b) => a.x0 - b.x0)) {
    const g = groups[groups.length - 1];
    if (g && r.x0 < g.x1) {
      g.x1 = Math.max(g.x1, r.x1);
      g.runs.push(r);
    } else groups.push({ x0: r.x0, x1: r.x1, runs: [r] });
  }
  return groups.filter((g) => isLabel(runsText(g.runs)));
}

/** Every header label stands over its own one of the columns, in order, and every column has one. */
function labelsMatchColumns(headerRuns: readonly Run[], cols: readonly Column[]): boolean {
  const labelled = labelGroups(headerRuns);
  if (labelled.length !== cols.length) return false;
  return labelled.every((g, i) => cols.every((c, k) => (k === i) === (g.x0 < c.x1 && c.x0 < g.x1)));
}

function withHeaderColumns(cols: readonly Column[], headerRuns: readonly Run[]): Column[] {
  const labelled = labelGroups(headerRuns);
  const gutter = 2;
  const overlaps = (g: { x0: number; x1: number }, c: Column) => g.x0 < c.x1 + gutter && c.x0 < g.x1 + gutter;
  const hasOwnLabel = (c: Column) => labelled.some((g) => overlaps(g, c));
  const out = [...cols];
  for (const g of labelled) {
    if (cols.some((c) => overlaps(g, c))) continue;
    const left = [...cols].reverse().find((c) => c.x1 <= g.x0);
    const right = cols.find((c) => c.x0 >= g.x1);
    if ((left && !hasOwnLabel(left)) || (right && !hasOwnLabel(right))) continue;
    out.push({ x0: g.x0, x1: g.x1 });
  }
  return out.sort((a, b) => a.x0 - b.x0);
}

function colOf(cols: readonly Column[], x: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    const d = x < c.x0 ? c.x0 - x : x > c.x1 ? x - c.x1 : 0;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Does the run sit inside one column (no gutter crossed)? */
function fits(cols: readonly Column[], r: Run): boolean {
  return fitCol(cols, r) >= 0;
}

/**
 * The column a run sits in, or -1 when it crosses a gutter: it starts inside
 * the column and ends before the next column begins (columns measured on one
 * page may be narrower than the text of the next).
 */
function fitCol(cols: readonly Column[], r: Run): number {
  const tol = r.size * 0.5;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    const limit = i + 1 < cols.length ? cols[i + 1].x0 - tol * 0.5 : c.x1 + r.size * 4;
    if (r.x0 >= c.x0 - tol && r.x0 <= c.x1 && r.x1 <= limit) return i;
  }
  return -1;
}

interface Block {
  lines: Line[];
  top: number;
  bottom: number;
}

const mkBlock = (lines: Line[]): Block => ({
  lines,
  top: lines[0].top,
  bottom: lines[lines.length - 1].bottom,
});
const centre = (top: number, bottom: number) => (top + bottom) / 2;

/** A column's block of text placed on rows: anchor index range (inclusive; to = -1 when between anchors). */
interface Piece {
  lines: Line[];
  from: number;
  to: number;
}

export function findFlatTables(
  runs: Run[],
  _pageWidth: number,
  pageHeight: number,
  state: FlatState,
): { tables: FlatTable[]; rest: Run[] } {
  if (runs.length === 0) {
    state.columns = null;
    return { tables: [], rest: runs };
  }
  const header = findHeader(runs);
  const continuation = state.columns !== null;
  let cols: Column[] | null = null;
  let bodyTop: number;
  if (header) {
    bodyTop = header.bottom + 0.5;
    const below = runs.filter((r) => r.top >= bodyTop - 0.5);
    const textX0 = Math.min(...runs.map((r) => r.x0));
    const textX1 = Math.max(...runs.map((r) => r.x1));
    const bodyCols = findColumns(below, (textX1 - textX0) * 0.7);
    cols = withHeaderColumns(bodyCols, header.runs);
    // a continued table keeps the previous page's columns when this page's text fits them
    // (a column that happens to be empty on this page must not vanish)
    const carried = state.columns;
    if (carried && bodyCols.length < carried.length && bodyCols.every((c) => carried.some((k) => k.x0 < c.x1 && c.x0 < k.x1))) {
      const hb = header.bottom;
      const bodyRuns = below.filter((r) => r.top >= hb && r.x1 - r.x0 < (textX1 - textX0) * 0.7);
      const fitting = bodyRuns.filter((r) => fits(carried, r)).length;
      // — or when the page repeats the header over the carried columns, one label over each:
      // cells spanning columns (and text under the table) can bridge this page's gutters
      if (fitting >= bodyRuns.length * 0.85 || labelsMatchColumns(header.runs, carried)) cols = carried;
    } else if (carried && bodyCols.length > carried.length && labelsMatchColumns(header.runs, carried)) {
      // more columns than the page before, under the same labels: a page with few rows
      // lets narrow gaps (around digits in "3月1日") and the text under the table
      // (公开方式, the issuing date) pass for gutters the table does not have
      cols = carried;
    }
    if (cols.length < 2) cols = null;
  } else if (state.columns) {
    cols = state.columns;
    const sorted = [...runs].sort((a, b) => a.top - b.top);
    let first = sorted[0];
    // a running head in the top margin may sit above the continued table
    const fitsLine = (f: Run) => runs.filter((r) => r.top < f.bottom && r.bottom > f.top).every((r) => fits(cols!, r));
    // — but a line whose text sits in two or more columns, or starts at the left edge of a
    // column whose text ran to the foot of the page before, is the tail of a row cut by the
    // page break, however far below it the next row starts
    const open = state.openCols ?? [];
    const isCutTail = (f: Run) => {
      const level = runs.filter((r) => r.top < f.bottom && r.bottom > f.top);
      const at = level.map((r) => fitCol(cols!, r));
      if (new Set(at).size >= 2) return true;
      const left = level.reduce((a, r) => (r.x0 < a.x0 ? r : a), f);
      const c = fitCol(cols!, left);
      return open.includes(c) && Math.abs(left.x0 - cols![c].x0) < left.size * 0.25;
    };
    if (first.bottom < pageHeight * 0.1) {
      const below = sorted.find((r) => r.top > first.bottom);
      const gapped = below !== undefined && below.top - first.bottom > first.size * 1.5 && !isCutTail(first);
      if (below && (!fitsLine(first) || gapped) && fitsLine(below)) first = below;
    }
    // continuation page: the text at the top must sit in the carried columns
    if (!fitsLine(first)) cols = null;
    bodyTop = first.top - 0.5;
  } else {
    return { tables: [], rest: runs };
  }
  if (!cols) {
    state.columns = null;
    return { tables: [], rest: runs };
  }
  const tableTop = header ? header.top : bodyTop;
  const headerSet = new Set(header?.runs ?? []);
  // body: runs below the header; the table ends after the last line that fits the columns
  const body = runs.filter((r) => !headerSet.has(r) && r.top >= bodyTop - 0.5);
  const lines = groupLines(body);
  // a line belongs to the table when its text pieces sit in columns, or start at a
  // column's left edge close below the previous table line (a cell spanning columns)
  const colsNow = cols;
  let lastFit = -1;
  let prevOk: Line | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const ok =
      l.runs.every((r) => fits(colsNow, r)) ||
      (prevOk !== null &&
        l.top - prevOk.bottom < l.size * 1.5 &&
        textPieces(l.runs).every(
          (pc) => fits(colsNow, pc.run) || colsNow.some((c) => Math.abs(pc.run.x0 - c.x0) < pc.run.size),
        ));
    if (ok) {
      lastFit = i;
      prevOk = l;
    }
  }
  const tableLines = lines.slice(0, lastFit + 1);
  const tableRuns = new Set(tableLines.flatMap((l) => l.runs));
  if (!header && tableRuns.size === 0) {
    state.columns = null;
    return { tables: [], rest: runs };
  }
  const tableBottom = tableLines.length ? Math.max(...tableLines.map((l) => l.bottom)) : header!.bottom;
  // spanning lines inside the table (a section row across all columns) become their own full-width row
  const tableW = cols[cols.length - 1].x1 - cols[0].x0;
  // a section row is one piece of text (runs closer than a glyph) from the first column across most of the table
  const spanning: Line[] = [];
  for (const l of tableLines) {
    if (l.runs.every((r) => fits(cols!, r))) continue;
    let piece: Run[] = [];
    const pieces: Run[][] = [];
    for (const r of l.runs) {
      const prev = piece[piece.length - 1];
      if (prev && r.x0 - prev.x1 > r.size * 0.5) {
        pieces.push(piece);
        piece = [];
      }
      piece.push(r);
    }
    pieces.push(piece);
    for (const pc of pieces) {
      const x0 = pc[0].x0;
      const x1 = pc[pc.length - 1].x1;
      if (x0 < (cols.length > 1 ? cols[1].x0 : cols[0].x1) && x1 - x0 > tableW * 0.75) spanning.push(makeLine(pc));
    }
  }
  const spanRunSet = new Set(spanning.flatMap((l) => l.runs));
  const cellRuns = [...tableRuns].filter((r) => !spanRunSet.has(r));

  const C = cols.length;
  const perCol: Run[][] = Array.from({ length: C }, () => []);
  // text pieces (runs closer than a third of a glyph, not split by a gutter) stay together, in the column where they start
  const pieceSpan = new Map<Run, number>();
  // a gutter is attested when the columns on both sides hold text of two lines or more
  const linesIn = cols.map(() => new Set<number>());
  for (const r of cellRuns) {
    const fc = fitCol(cols, r);
    if (fc >= 0) linesIn[fc].add(Math.round(r.base));
  }
  const gutterOk = cols.map((_, i) => i + 1 < cols!.length && linesIn[i].size >= 2 && linesIn[i + 1].size >= 2);
  for (const l of groupLines(cellRuns)) {
    for (const pc of textPieces(l.runs, cols, gutterOk)) {
      const fc = fitCol(cols, pc.run);
      const c0 = fc >= 0 ? fc : colOf(cols, pc.run.x0 + pc.run.size * 0.5);
      const c1 = colOf(cols, pc.run.x1 - pc.run.size * 0.5);
      for (const r of pc.runs) {
        perCol[c0].push(r);
        if (c1 > c0) pieceSpan.set(r, c1 - c0 + 1);
      }
    }
  }
  const colLines: Line[][] = perCol.map((rs) => groupLines(rs));

  // line pitch: median baseline step inside a column
  const steps: number[] = [];
  for (const ls of colLines) {
    for (let i = 1; i < ls.length; i++) {
      const d = ls[i].base - ls[i - 1].base;
      if (d > 0 && d < ls[i].size * 2.5) steps.push(d);
    }
  }
  steps.sort((a, b) => a - b);
  const size = cellRuns.length ? cellRuns[Math.floor(cellRuns.length / 2)].size : 12;
  const pitch = steps.length ? steps[Math.floor(steps.length / 2)] : size * 1.4;

  // ---- anchors: one per data row
  let anchors: number[] = [];
  // the text box of each anchor (for tables whose cells are aligned to the top or bottom of their row)
  const boxes: { t: number; b: number }[] = [];
  let keyCol = -1;
  for (let c = 0; c < C; c++) {
    const ls = colLines[c];
    const nums = ls.filter((l) => /^\d{1,3}$/.test(l.text));
    if (nums.length >= 1 && nums.length >= ls.length * 0.6) {
      anchors = nums.map((l) => centre(l.top, l.bottom));
      for (const l of nums) boxes.push({ t: l.top, b: l.bottom });
      keyCol = c;
      break;
    }
  }
  const blocksOf = (ls: readonly Line[], splitAtNumber: boolean): Block[] => {
    const out: Block[] = [];
    let cur: Line[] = [];
    for (const l of ls) {
      const prev = cur[cur.length - 1];
      const newRow = splitAtNumber && /^\d{1,3}\s*[.、．]/.test(l.text);
      if (prev && (l.base - prev.base > pitch * 1.25 || newRow)) {
        out.push(mkBlock(cur));
        cur = [];
      }
      cur.push(l);
    }
    if (cur.length) out.push(mkBlock(cur));
    return out;
  };
  let keyBlocks: Block[] | null = null;
  let keyTail: Block | null = null;
  if (keyCol < 0) {
    // numbered cells that start in a column to the left and run across into this one
    // (rows without text of their own there) count for it too
    const numberedInto = (c: number) =>
      colLines
        .slice(0, c)
        .flatMap((ls, k) => ls.filter((l) => /^\d{1,3}\s*[.、．]/.test(l.text) && l.runs.some((r) => k + (pieceSpan.get(r) ?? 1) - 1 >= c)))
        .length;
    let best = 0;
    for (let c = 0; c < C; c++) {
      const n = colLines[c].filter((l) => /^\d{1,3}\s*[.、．]/.test(l.text)).length + numberedInto(c);
      if (n > best) {
        best = n;
        keyCol = c;
      }
    }
    if (keyCol >= 0) {
      keyBlocks = blocksOf(colLines[keyCol], true);
      if (continuation && keyBlocks.length > 1 && !/^\d{1,3}\s*[.、．]/.test(keyBlocks[0].lines[0].text)) {
        keyTail = keyBlocks[0];
      }
    } else {
      // no numbering at all: the column with the most blocks defines the rows
      let most = -1;
      for (let c = 0; c < C; c++) {
        const bs = blocksOf(colLines[c], false);
        if (bs.length > most) {
          most = bs.length;
          keyCol = c;
          keyBlocks = bs;
        }
      }
    }
    anchors = (keyBlocks ?? []).map((b) => centre(b.top, b.bottom));
    for (const b of keyBlocks ?? []) boxes.push({ t: b.top, b: b.bottom });
  }
  // numbered cells that start in a column left of the key column and run across into it
  // (a cell spanning columns) are rows too
  const numbered = /^\d{1,3}\s*[.、．]/;
  const splitCols = new Set<number>();
  const spanAnchorBlocks: Block[] = [];
  if (keyBlocks && keyCol >= 0) {
    for (let c = 0; c < keyCol; c++) {
      const reaches = (l: Line) => l.runs.some((r) => c + (pieceSpan.get(r) ?? 1) - 1 >= keyCol);
      if (!colLines[c].some((l) => numbered.test(l.text) && reaches(l))) continue;
      splitCols.add(c);
      for (const b of blocksOf(colLines[c], true)) {
        if (numbered.test(b.lines[0].text) && reaches(b.lines[0])) {
          spanAnchorBlocks.push(b);
          anchors.push(centre(b.top, b.bottom));
          boxes.push({ t: b.top, b: b.bottom });
        }
      }
    }
  }
  for (const l of spanning) {
    anchors.push(centre(l.top, l.bottom));
    boxes.push({ t: l.top, b: l.bottom });
  }
  anchors.sort((a, b) => a - b);
  boxes.sort((a, b) => centre(a.t, a.b) - centre(b.t, b.b));
  // the table runs on past the page foot: its last row (and any cell reaching it) is cut there
  const cutBelow =
    tableBottom > pageHeight * 0.6 && !runs.some((r) => !tableRuns.has(r) && !headerSet.has(r) && r.top > tableBottom);
  // rows cut by a page break are not aligned as their cells say: leave them out of the evidence
  const evidence = continuation && state.align ? state.align : { centre: 0, top: 0, bottom: 0 };
  const cutRows = boxes.filter((_, i) => (continuation && i === 0) || (cutBelow && i === boxes.length - 1));
  alignEvidence(
    colLines
      .flatMap((ls, c) => (c === keyCol ? [] : blocksOf(ls, false)))
      .filter((bl) => !cutRows.some((a) => a.t < bl.bottom && a.b > bl.top)),
    boxes,
    size,
    evidence,
  );
  state.align = evidence;
  const align = cellAlignment(evidence);
  // One column may be top-aligned in a table whose other cells are centred (a group column
  // set flush with its first row's text): its own blocks, summed over the table's pages,
  // decide that column. A merged cell centred on a run of rows starts level with the
  // first row's text only by chance.
  const carriedCols = continuation && state.colAlign?.length === C ? state.colAlign : null;
  const colEvidence = carriedCols ?? Array.from({ length: C }, () => ({ centre: 0, top: 0, bottom: 0, offTop: 0 }));
  colLines.forEach((ls, c) => {
    if (c === keyCol) return;
    alignEvidence(
      blocksOf(ls, false).filter((bl) => !cutRows.some((a) => a.t < bl.bottom && a.b > bl.top)),
      boxes,
      size,
      colEvidence[c],
    );
  });
  state.colAlign = colEvidence;
  const colAlign = (c: number): Alignment => (align === 'centre' && c !== keyCol && flushTop(colEvidence[c]) ? 'top' : align);
  // top-aligned: on a page that continues a table, unnumbered text above the first numbered
  // item is the tail of the row cut at the page break, not a row of its own (centred
  // tables place such a tail by its centre like any other block)
  if (keyTail && align === 'top' && keyBlocks) {
    const i = boxes.findIndex((b) => b.t === keyTail!.top && b.b === keyTail!.bottom);
    if (i === 0) {
      boxes.splice(0, 1);
      anchors.splice(0, 1);
      keyBlocks = keyBlocks.filter((b) => b !== keyTail);
    } else keyTail = null;
  } else keyTail = null;

  // ---- assign column blocks to anchors
  const pieces: Piece[][] = Array.from({ length: C }, () => []);
  const tol = Math.max(pitch * 0.6, size * 0.6);
  const fragments: { col: number; lines: Line[] }[] = [];
  if (keyTail) fragments.push({ col: keyCol, lines: keyTail.lines });
  // text above the first row split off a block: the tail of a row cut by the page break?
  const cutLeads: { col: number; lines: Line[]; piece: Piece }[] = [];
  const tailEnd = align === 'bottom' && continuation ? bottomTailEnd(colLines, keyCol, boxes, size, state.cutCols ?? []) : null;
  for (let c = 0; c < C; c++) {
    if (colAlign(c) !== 'centre' && c !== keyCol) {
      const cut = tailEnd !== null && colAlign(c) === 'bottom' ? [{ t: tailEnd, b: tailEnd }] : [];
      const parts = alignedParts(blocksOf(colLines[c], splitCols.has(c)), [...cut, ...boxes], colAlign(c), size);
      const tail = parts.filter((p) => tailEnd !== null && p.bottom <= tailEnd + size * 0.25);
      for (const p of tail) fragments.push({ col: c, lines: p.lines });
      pieces[c].push(...placeAligned(parts.filter((p) => !tail.includes(p)), boxes, colAlign(c), size));
      continue;
    }
    const blocks =
      c === keyCol && keyBlocks
        ? keyBlocks
        : c === keyCol
          ? colLines[c].map((l) => mkBlock([l]))
          : blocksOf(colLines[c], splitCols.has(c));
    for (const b of blocks) {
      const inside: number[] = [];
      anchors.forEach((a, i) => {
        if (a >= b.top - size * 0.2 && a <= b.bottom + size * 0.2) inside.push(i);
      });
      if (inside.length === 0) {
        pieces[c].push({ lines: b.lines, from: nearest(anchors, centre(b.top, b.bottom)), to: -1 });
        continue;
      }
      const first = b === blocks[0];
      const ys = inside.map((i) => anchors[i]);
      const offCentre = Math.abs(centre(b.top, b.bottom) - ys[0]) > pitch * 0.3;
      // a row's cell abutting a neighbour's cell that is not centred in its own row (a
      // cell held high or low by blank paragraphs): the part that closes and is centred on
      // the anchor is the row's, the rest is placed on the rows like any other block
      const own = inside.length === 1 && offCentre && c !== keyCol && !(first && continuation) ? centredPart(b.lines, ys[0], size * 0.3) : null;
      if (own) {
        pieces[c].push({ lines: own.part, from: inside[0], to: inside[0] });
        const rest = mkBlock(own.rest);
        pieces[c].push({ lines: own.rest, from: nearest(anchors, centre(rest.top, rest.bottom)), to: -1 });
        continue;
      }
      if (inside.length === 1 && (!first || !offCentre)) {
        pieces[c].push({ lines: b.lines, from: inside[0], to: inside[0] });
        continue;
      }
      const last = b === blocks[blocks.length - 1];
      let split = inside.length > 1 ? splitTopDown(b.lines, ys, tol, last) : null;
      // a row cut by the page break: its tail sits above the first row, in the same text block
      // (only where the table continues from the page before: its first page has no cut row)
      if (!split && first && inside[0] === 0 && continuation) {
        // a block running on to the page foot ends in the cut last row: that part starts
        // level with the row's text, it is not centred
        const cutTop = last && cutBelow && inside[inside.length - 1] === anchors.length - 1 ? boxes[anchors.length - 1].t : undefined;
        split = splitBottomUp(b.lines, ys, tol, cutTop);
      }
      if (split) {
        split.parts.forEach((ls, k) => {
          if (!ls.length) return;
          const piece = { lines: ls, from: inside[k], to: inside[k] };
          pieces[c].push(piece);
          if (k === 0 && split.lead.length) cutLeads.push({ col: c, lines: split.lead, piece });
        });
      } else {
        pieces[c].push({ lines: b.lines, from: inside[0], to: inside[inside.length - 1] });
      }
    }
  }
  // rows: an optional leading fragment row (a row cut by the page break), then one per anchor
  const firstTopOf = (skip: number) =>
    Math.min(
      ...pieces.flatMap((ps, c) =>
        c === skip ? [] : ps.filter((p) => p.from === 0 && p.to === 0).map((p) => p.lines[0].top),
      ),
    );
  // only when it ends above the first row's text in the other columns, or ends a cell's
  // text (a tall cell of the first row may start level with it); otherwise it is the top
  // of a cell that starts with the first row (a merged cell cut by the page break is
  // printed from its first row down, not centred)
  for (const cl of cutLeads) {
    const end = cl.lines[cl.lines.length - 1];
    const above = end.bottom < firstTopOf(cl.col) - size * 0.2;
    if (above || CELL_END.test(end.text)) fragments.push({ col: cl.col, lines: cl.lines });
    else cl.piece.lines = [...cl.lines, ...cl.piece.lines];
  }
  const firstRowTop = firstTopOf(-1);
  for (let c = 0; c < C; c++) {
    pieces[c] = pieces[c].filter((p) => {
      const above = p.lines[p.lines.length - 1].bottom < firstRowTop - size * 0.2;
      if (continuation && p.to === -1 && p.from === 0 && above) {
        fragments.push({ col: c, lines: p.lines });
        return false;
      }
      return true;
    });
  }
  const lead = fragments.length > 0 ? 1 : 0;
  const headerRows = header ? 1 : 0;
  const rowBase = headerRows + lead;
  const R = rowBase + anchors.length;
  const cells: FlatCell[] = [];
  // header row: one cell per column, labels spanning several columns get a colSpan
  if (header) {
    const hc: { runs: Run[]; span: number }[] = Array.from({ length: C }, () => ({ runs: [], span: 1 }));
    for (const r of header.runs) {
      const covered: number[] = [];
      cols.forEach((c, i) => {
        const ov = Math.min(c.x1, r.x1) - Math.max(c.x0, r.x0);
        if (ov > Math.min(r.x1 - r.x0, c.x1 - c.x0) * 0.25) covered.push(i);
      });
      // A label centred on the gutter between two columns that reaches into the text of
      // both stands over both, however little text the page has in one of them (a group
      // column holding only the cut tail "化规范化" is narrower than on the page before).
      const mid = (r.x0 + r.x1) / 2;
      const gutter = cols.findIndex((c, i) => i + 1 < cols.length && c.x1 <= mid && mid <= cols[i + 1].x0);
      if (gutter >= 0 && r.x0 < cols[gutter].x1 - 1 && r.x1 > cols[gutter + 1].x0 + 1) {
        for (const i of [gutter, gutter + 1]) if (!covered.includes(i)) covered.push(i);
        covered.sort((a, b) => a - b);
      }
      const c0 = covered.length ? covered[0] : colOf(cols, mid);
      hc[c0].runs.push(r);
      if (covered.length > 1) hc[c0].span = Math.max(hc[c0].span, covered[covered.length - 1] - c0 + 1);
    }
    for (let c = 0; c < C; ) {
      const span = Math.min(hc[c].span, C - c);
      const extra = hc.slice(c + 1, c + span).flatMap((h) => h.runs);
      cells.push({ row: 0, col: c, rowSpan: 1, colSpan: span, text: runsText([...hc[c].runs, ...extra]) });
      c += span;
    }
  }
  const sectionRows = new Set(spanning.map((l) => anchors.indexOf(centre(l.top, l.bottom))));
  for (const l of spanning) {
    const i = anchors.indexOf(centre(l.top, l.bottom));
    cells.push({ row: rowBase + i, col: 0, rowSpan: 1, colSpan: C, text: l.text });
  }
  // row bands: where each row lies on the page (for placing merged cells over runs of rows)
  const prevBottom = lead
    ? Math.max(...fragments.flatMap((f) => f.lines.map((l) => l.bottom)))
    : header
      ? header.bottom
      : null;
  const bands = rowBands({
    anchors,
    pieces,
    keyCol,
    sections: spanning.map((l) => ({ row: anchors.indexOf(centre(l.top, l.bottom)), top: l.top, bottom: l.bottom })),
    prevBottom,
    tableBottom,
    cutBelow,
    size,
    pitch,
  });
  // the cut row's tail at the top of the page, as a band of its own (above the first row's)
  const fragTop = lead ? Math.min(...fragments.flatMap((f) => f.lines.map((l) => l.top))) : 0;
  const leadBand =
    lead && prevBottom !== null && anchors.length > 0
      ? { top: fragTop - Math.max(0, bands.top[0] - prevBottom), bottom: bands.top[0] }
      : null;
  // rows where text from a column to the left runs across into column c
  const occupied: Set<number>[] = Array.from({ length: C }, () => new Set<number>());
  for (let c = 0; c < C; c++) {
    for (const p of pieces[c]) {
      let span = 1;
      for (const l of p.lines) for (const r of l.runs) span = Math.max(span, pieceSpan.get(r) ?? 1);
      const to = p.to < 0 ? p.from : p.to;
      for (let k = c + 1; k < Math.min(C, c + span); k++) {
        for (let i = p.from; i <= to; i++) {
          const own = pieces[k].some((q) => q.from <= i && (q.to < 0 ? q.from : q.to) >= i);
          if (!own) occupied[k].add(i);
        }
      }
    }
  }
  for (let c = 0; c < C; c++) {
    const spanRows = new Set<number>([...sectionRows, ...occupied[c]]);
    // which anchor rows this column covers, and by which piece
    const owner: (Piece | null)[] = new Array(anchors.length).fill(null);
    const ps = pieces[c].map((p) => ({ ...p, to: p.to < 0 ? p.from : p.to }));
    for (const p of ps) for (let i = p.from; i <= p.to; i++) if (!owner[i] && !spanRows.has(i)) owner[i] = p;
    // every column but the key column: each block of text takes the run of rows
    // whose band it sits in and is centred on (a merged cell's text goes to its
    // first row; the rows below stay blank and the structure stage fills them down)
    if (c !== keyCol && ps.length > 0 && colAlign(c) === 'centre') {
      // only a column whose cell in the last row of the page before held text can go on here
      const openTop = continuation && (state.lastRowCols?.includes(c) ?? false);
      const runs = placeBlocks(ps, bands, spanRows, size, continuation, openTop ? leadBand : null, openTop);
      if (runs) {
        for (const o of owner.keys()) owner[o] = null;
        ps.forEach((p, k) => {
          p.from = runs[k].from;
          p.to = runs[k].to;
        });
        // the rest of a merged cell cut by the page break, centred on what is left of
        // it on this page (from the cut row's tail down): its text joins the cut row
        for (const p of ps.filter((q) => q.from < 0)) {
          fragments.push({ col: c, lines: p.lines });
          p.lines = [];
          p.from = 0;
        }
        for (const p of ps) for (let i = p.from; i <= p.to; i++) if (!owner[i]) owner[i] = p;
      }
    }
    const done = new Set<unknown>();
    for (let i = 0; i < anchors.length; i++) {
      if (spanRows.has(i)) continue;
      const p = owner[i];
      if (!p) {
        cells.push({ row: rowBase + i, col: c, rowSpan: 1, colSpan: 1, text: '' });
        continue;
      }
      if (done.has(p)) continue;
      done.add(p);
      // contiguous rows owned by the same piece
      let j = i;
      while (j + 1 < anchors.length && owner[j + 1] === p) j++;
      const extra = ps.filter((q) => q !== p && q.from >= i && q.to <= j && !done.has(q));
      for (const q of extra) done.add(q);
      const ls = [...p.lines, ...extra.flatMap((q) => q.lines)];
      let colSpan = 1;
      for (const l of ls) for (const r of l.runs) colSpan = Math.max(colSpan, pieceSpan.get(r) ?? 1);
      cells.push({ row: rowBase + i, col: c, rowSpan: j - i + 1, colSpan: Math.min(colSpan, C - c), text: linesText(ls) });
    }
  }
  if (lead) {
    for (let c = 0; c < C; c++) {
      const ls = fragments.filter((f) => f.col === c).flatMap((f) => f.lines);
      // a cut cell spanning columns spans them in its tail too
      let colSpan = 1;
      for (const l of ls) for (const r of l.runs) colSpan = Math.max(colSpan, pieceSpan.get(r) ?? 1);
      cells.push({ row: headerRows, col: c, rowSpan: 1, colSpan: Math.min(colSpan, C - c), text: linesText(ls) });
    }
  }
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  const lastRowCols = new Set(
    cells
      .filter((x) => x.text !== '' && x.row <= R - 1 && x.row + x.rowSpan > R - 1)
      .flatMap((x) => Array.from({ length: x.colSpan }, (_, k) => x.col + k)),
  );
  // a cell whose text runs across a column gap covers its (empty) neighbours
  const dropped = new Set<FlatCell>();
  for (const cell of cells) {
    if (cell.colSpan < 2 || dropped.has(cell)) continue;
    for (const o of cells) {
      if (o === cell || dropped.has(o)) continue;
      const inCols = o.col > cell.col && o.col < cell.col + cell.colSpan;
      const inRows = o.row < cell.row + cell.rowSpan && o.row + o.rowSpan > cell.row;
      if (!inCols || !inRows) continue;
      if (o.text === '' && o.row >= cell.row && o.row + o.rowSpan <= cell.row + cell.rowSpan) dropped.add(o);
      else cell.colSpan = Math.min(cell.colSpan, o.col - cell.col);
    }
  }
  if (dropped.size) cells.splice(0, cells.length, ...cells.filter((c) => !dropped.has(c)));
  // 'flattened' contract: every row lists its own cells; a group's text sits in the
  // group's first row and the rows below it are blank (the structure stage fills
  // blanks down), so vertical spans are written out as blank cells
  for (const cell of [...cells]) {
    if (cell.rowSpan < 2) continue;
    for (let r = cell.row + 1; r < cell.row + cell.rowSpan; r++) {
      cells.push({ row: r, col: cell.col, rowSpan: 1, colSpan: cell.colSpan, text: '' });
    }
    cell.rowSpan = 1;
  }
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  const used = new Set<Run>([...tableRuns, ...headerSet]);
  const rest = runs.filter((r) => !used.has(r));
  // the table continues on the next page when it reaches the page foot
  const below = rest.filter((r) => r.top > tableBottom);
  state.columns = below.length === 0 && tableBottom > pageHeight * 0.6 ? cols : null;
  const lastLine = tableLines.filter((l) => l.bottom > tableBottom - l.size * 0.5);
  state.lastRowCols = [...lastRowCols];
  state.openCols = [...new Set(lastLine.flatMap((l) => l.runs.map((r) => fitCol(cols!, r))).filter((c) => c >= 0))];
  state.cutCols = colLines.flatMap((ls, c) => {
    const last = ls.filter((l) => l.bottom <= tableBottom + l.size * 0.5).at(-1);
    return last && last.bottom > tableBottom - last.size * 0.5 && !CELL_END.test(last.text) ? [c] : [];
  });
  return { tables: [{ top: tableTop, bottom: tableBottom, rows: R, cols: C, cells }], rest };
}

/** Where the rows of a borderless table lie: one band per anchor, abutting. */
interface Bands {
  anchor: readonly number[];
  top: number[];
  bottom: number[];
  /** Top of the text seen in the row (a cell cut at the page foot starts its text there). */
  textTop: number[];
  /** The last row runs on past the page foot. */
  cutLast: boolean;
}

/**
 * Row bands. Cells are vertically centred in their row, so a row is as tall on
 * both sides of its anchor as its tallest single-row text: the text of the key
 * column, and every block of another column that is centred on that anchor
 * alone and does not reach into a neighbouring row's text. Between two rows the
 * boundary lies in the gap between their bands. A row cut by the page foot is
 * not centred: it runs from its text to the table bottom.
 */
function rowBands(o: {
  anchors: readonly number[];
  pieces: readonly Piece[][];
  keyCol: number;
  sections: readonly { row: number; top: number; bottom: number }[];
  prevBottom: number | null;
  tableBottom: number;
  cutBelow: boolean;
  size: number;
  pitch: number;
}): Bands {
  const { anchors, size } = o;
  const N = anchors.length;
  const ext: ({ top: number; bottom: number } | null)[] = new Array(N).fill(null);
  const grow = (i: number, top: number, bottom: number) => {
    const e = ext[i];
    ext[i] = e ? { top: Math.min(e.top, top), bottom: Math.max(e.bottom, bottom) } : { top, bottom };
  };
  for (const sct of o.sections) if (sct.row >= 0) grow(sct.row, sct.top, sct.bottom);
  const tolC = Math.max(o.pitch * 0.3, size * 0.3);
  const eps = size * 0.1;
  const single = o.pieces.map((ps) =>
    ps
      .filter((p) => p.from >= 0 && p.to === p.from)
      .map((p) => ({ row: p.from, top: p.lines[0].top, bottom: Math.max(...p.lines.map((l) => l.bottom)) }))
      .filter((b) => {
        if (Math.abs(centre(b.top, b.bottom) - anchors[b.row]) > tolC) return false;
        return anchors.every((a, i) => i === b.row || a < b.top - size * 0.2 || a > b.bottom + size * 0.2);
      }),
  );
  // the key column first, then the columns with the most row-level blocks (the body text)
  const rank = (c: number) => (c === o.keyCol ? Infinity : single[c].length);
  const order = single.map((_, c) => c).sort((a, b) => rank(b) - rank(a));
  for (const c of order) {
    for (const b of single[c]) {
      if (c !== o.keyCol) {
        const up = b.row > 0 ? ext[b.row - 1] : null;
        const down = b.row + 1 < N ? ext[b.row + 1] : null;
        if ((up && b.top < up.bottom - eps) || (down && b.bottom > down.top + eps)) continue;
      }
      grow(b.row, b.top, b.bottom);
    }
  }
  const sym = anchors.map((a, i) => {
    const e = ext[i];
    if (o.cutBelow && i === N - 1) {
      return { top: e?.top ?? a - size * 0.6, bottom: Math.max(e?.bottom ?? a, o.tableBottom) };
    }
    const h = e ? Math.max(a - e.top, e.bottom - a) : size * 0.6;
    return { top: a - h, bottom: a + h };
  });
  const cuts: number[] = [];
  const gaps: number[] = [];
  for (let i = 0; i + 1 < N; i++) {
    let m = centre(sym[i].bottom, sym[i + 1].top);
    const lo = ext[i]?.bottom;
    const hi = ext[i + 1]?.top;
    if (lo !== undefined && hi !== undefined && lo <= hi) m = Math.min(hi, Math.max(lo, m));
    cuts.push(m);
    gaps.push(Math.max(0, (sym[i + 1].top - sym[i].bottom) / 2));
  }
  gaps.sort((a, b) => a - b);
  const pad = gaps.length ? gaps[Math.floor(gaps.length / 2)] : size * 0.25;
  const top: number[] = [];
  const bottom: number[] = [];
  for (let i = 0; i < N; i++) {
    if (i > 0) top.push(cuts[i - 1]);
    else {
      const t0 = Math.min(sym[0].top, ext[0]?.top ?? sym[0].top);
      top.push(o.prevBottom !== null && o.prevBottom < t0 ? centre(o.prevBottom, t0) : t0 - pad);
    }
    bottom.push(i + 1 < N ? cuts[i] : sym[i].bottom + pad);
  }
  const textTop = anchors.map((_, i) => ext[i]?.top ?? sym[i].top);
  return { anchor: anchors, top, bottom, textTop, cutLast: o.cutBelow };
}

/**
 * Place a column's blocks on runs of rows: each block takes the run of free
 * rows whose bands hold it and whose middle its text is centred on (a block cut
 * by the page foot may instead start at its first row's text). Blocks keep
 * their order and never share a row, except that a block may join the run of
 * the block above (one cell's text broken by a wide line gap). Rows skipped
 * before a block cost a little (cells are seldom empty). Returns the run
 * of each piece (in the order given), or null when nothing fits.
 */
function placeBlocks(
  ps: readonly Piece[],
  b: Bands,
  blocked: ReadonlySet<number>,
  size: number,
  continued: boolean,
  lead: { top: number; bottom: number } | null = null,
  openTop = false,
): { from: number; to: number }[] | null {
  if (!lead) return placeOnBands(ps, b, blocked, size, continued, false, openTop);
  // the cut row's tail is row -1: a block may take a run from it down (never it alone)
  const withLead: Bands = {
    anchor: [centre(lead.top, lead.bottom), ...b.anchor],
    top: [lead.top, ...b.top],
    bottom: [lead.bottom, ...b.bottom],
    textTop: [lead.top, ...b.textTop],
    cutLast: b.cutLast,
  };
  const shifted = new Set([...blocked].map((i) => i + 1));
  const runs = placeOnBands(ps, withLead, shifted, size, continued, true, openTop);
  return runs && runs.map((r) => ({ from: r.from - 1, to: r.to - 1 }));
}

function placeOnBands(
  ps: readonly Piece[],
  b: Bands,
  blocked: ReadonlySet<number>,
  size: number,
  continued: boolean,
  leadRow: boolean,
  openTop: boolean,
): { from: number; to: number }[] | null {
  const N = b.anchor.length;
  const order = ps.map((_, i) => i).sort((x, y) => ps[x].lines[0].top - ps[y].lines[0].top);
  const P = order.length;
  if (N === 0) return null;
  const boxes = order.map((k) => {
    const ls = ps[k].lines;
    const t = Math.min(...ls.map((l) => l.top));
    const bt = Math.max(...ls.map((l) => l.bottom));
    return { t, b: bt, c: centre(t, bt) };
  });
  const slack = size * 0.3;
  const JOIN = size * 2;
  // cells are seldom empty: a row left without text costs a little (it settles
  // a block centred both on one row and on a run around it); rows above the
  // first block of a page that continues a table are the cut group's, free
  const GAP = size * 0.25;
  const freeTo = new Array<number>(N + 1).fill(N); // first blocked row at or after i
  for (let i = N - 1; i >= 0; i--) freeTo[i] = blocked.has(i) ? i : freeTo[i + 1];
  const maxSpan = P * N * N * N > 4e6 ? 16 : N;
  const cost = (j: number, s: number, e: number) => {
    const x = boxes[j];
    if (leadRow && s === 0 && e === 0) return Infinity;
    const T = b.top[s];
    const U = b.bottom[e];
    const over = Math.max(0, T - x.t - slack) + Math.max(0, x.b - U - slack);
    let err = Math.abs(x.c - (s === e ? b.anchor[s] : centre(T, U)));
    // only the column's last block can be the one cut there: a block with another below it
    // in the cut row is centred like any other
    if (b.cutLast && e === N - 1 && j === P - 1) err = Math.min(err, Math.abs(x.t - b.textTop[s]));
    // a cut cell's rest is printed centred on what is left of it: only a close fit
    if (leadRow && s === 0 && err + over > size * 0.25) return Infinity;
    // the column's cell in the page before's last row held text: a close fit on a run from
    // the top row (that cell's rest) wins a tie with a shorter run further down
    const goesOn = openTop && s === 0 && err + over <= size * 0.25 ? size * 0.25 : 0;
    return err + over * 4 + (e - s) * 0.01 - goesOn;
  };
  // dp[j][r]: least cost of placing blocks j.. when rows before r are taken
  const dp: Float64Array[] = Array.from({ length: P + 1 }, () => new Float64Array(N + 1));
  const pick: Int32Array[] = Array.from({ length: P }, () => new Int32Array(N + 1));
  for (let j = P - 1; j >= 0; j--) {
    for (let r = 0; r <= N; r++) {
      let best = Infinity;
      let choice = -2;
      if (j > 0 && r > 0) {
        const c = JOIN + Math.max(0, boxes[j].b - b.bottom[r - 1] - slack) * 4 + dp[j + 1][r];
        if (c < best) {
          best = c;
          choice = -1;
        }
      }
      for (let s = r; s < N; s++) {
        if (blocked.has(s)) continue;
        const eMax = Math.min(freeTo[s], s + maxSpan);
        for (let e = s; e < eMax; e++) {
          const c = cost(j, s, e) + (j === 0 && continued ? 0 : (s - r) * GAP) + dp[j + 1][e + 1];
          if (c < best) {
            best = c;
            choice = s * (N + 1) + e;
          }
        }
      }
      dp[j][r] = best;
      pick[j][r] = choice;
    }
  }
  if (!Number.isFinite(dp[0][0])) return null;
  const out: { from: number; to: number }[] = new Array(P);
  let r = 0;
  let prev = { from: 0, to: 0 };
  for (let j = 0; j < P; j++) {
    const ch = pick[j][r];
    if (ch === -2) return null;
    if (ch === -1) out[order[j]] = { ...prev };
    else {
      prev = { from: Math.floor(ch / (N + 1)), to: ch % (N + 1) };
      out[order[j]] = prev;
      r = prev.to + 1;
    }
  }
  return out;
}

function linesText(ls: readonly Line[]): string {
  return [...ls]
    .sort((a, b) => a.base - b.base || a.x0 - b.x0)
    .map((l) => l.text)
    .filter((t) => t !== '')
    .join('\n');
}

function nearest(anchors: readonly number[], y: number): number {
  let best = 0;
  for (let i = 1; i < anchors.length; i++) if (Math.abs(anchors[i] - y) < Math.abs(anchors[best] - y)) best = i;
  return best;
}

/**
 * Split a block's lines into consecutive parts, part k centred on anchor k
 * (row-level cells that abut). Top-down: parts start at the block top.
 */
function splitTopDown(
  lines: readonly Line[],
  anchors: readonly number[],
  tol: number,
  lastMayBeCut = false,
): { lead: Line[]; parts: Line[][] } | null {
  const parts: Line[][] = [];
  let s = 0;
  for (let k = 0; k < anchors.length; k++) {
    if (s >= lines.length) return null;
    let bestE = -1;
    let bestErr = Infinity;
    const lastPart = k === anchors.length - 1;
    for (let e = lastPart ? lines.length - 1 : s; e < lines.length - (lastPart ? 0 : anchors.length - 1 - k); e++) {
      const err = Math.abs(centre(lines[s].top, lines[e].bottom) - anchors[k]);
      if (err < bestErr) {
        bestErr = err;
        bestE = e;
      }
    }
    // the last row of a page may be cut by the page break: its text is then not centred
    if (bestE < 0 || (bestErr > tol && !(lastPart && lastMayBeCut && k > 0))) return null;
    parts.push(lines.slice(s, bestE + 1));
    s = bestE + 1;
  }
  if (s !== lines.length) return null;
  // abutting cells each end their text: a part that stops on a full, open line
  // ("…商务局牵" / "头，…") is one merged cell's text cut in the middle
  const right = Math.max(...lines.map((l) => l.x1));
  for (let k = 0; k < parts.length - 1; k++) {
    const last = parts[k][parts[k].length - 1];
    const full = last.x1 >= right - last.size * 1.2;
    if (full && !CELL_END.test(last.text)) return null;
  }
  return { lead: [], parts };
}

/**
 * The lines of a block from its top (or to its bottom) that end a cell's text
 * and are centred on the anchor, the rest of the block apart; null when no such
 * part is centred within tol.
 */
function centredPart(lines: readonly Line[], anchor: number, tol: number): { part: Line[]; rest: Line[] } | null {
  let best: { part: Line[]; rest: Line[] } | null = null;
  let bestErr = tol;
  for (let k = 0; k + 1 < lines.length; k++) {
    if (!CELL_END.test(lines[k].text)) continue;
    const down = Math.abs(centre(lines[0].top, lines[k].bottom) - anchor);
    if (down <= bestErr) {
      bestErr = down;
      best = { part: lines.slice(0, k + 1), rest: lines.slice(k + 1) };
    }
    const up = Math.abs(centre(lines[k + 1].top, lines[lines.length - 1].bottom) - anchor);
    if (up <= bestErr) {
      bestErr = up;
      best = { part: lines.slice(k + 1), rest: lines.slice(0, k + 1) };
    }
  }
  return best;
}

/**
 * How a cell's text ends: closing punctuation, or the role word that closes a
 * units phrase ("…各直属机构负责": a narrow units cell's last line is often full).
 */
const CELL_END = /(?:[。；;！!？?）)」”]|负责|配合|协办)$/;

/**
 * Bottom-up variant: lines left over above the first part are a leading
 * fragment. With cutTop, the last part is a row cut by the page foot: it
 * starts at the line level with cutTop (its row's text top).
 */
function splitBottomUp(
  lines: readonly Line[],
  anchors: readonly number[],
  tol: number,
  cutTop?: number,
): { lead: Line[]; parts: Line[][] } | null {
  const parts: Line[][] = [];
  let e = lines.length - 1;
  for (let k = anchors.length - 1; k >= 0; k--) {
    if (e < 0) return null;
    let bestS = -1;
    let bestErr = Infinity;
    const cut = k === anchors.length - 1 && cutTop !== undefined;
    for (let s = e; s >= k; s--) {
      const err = cut ? Math.abs(lines[s].top - cutTop) : Math.abs(centre(lines[s].top, lines[e].bottom) - anchors[k]);
      if (err < bestErr) {
        bestErr = err;
        bestS = s;
      }
    }
    if (bestS < 0 || bestErr > tol) return null;
    parts.unshift(lines.slice(bestS, e + 1));
    e = bestS - 1;
  }
  return { lead: lines.slice(0, e + 1), parts };
}

/**
 * Split a line's runs into pieces of continuous text (gaps under a third of a
 * glyph), each with a merged run. With the table's columns, a narrower gap
 * between two runs also splits where it holds a column gutter: cells packed
 * tight (a full line of a narrow cell ending a hair before the next cell's
 * text) are still two cells, while one cell's text is a single run or runs
 * that abut.
 */
function textPieces(runs: readonly Run[], cols?: readonly Column[], gutterOk?: readonly boolean[]): { runs: Run[]; run: Run }[] {
  const out: { runs: Run[]; run: Run }[] = [];
  let cur: Run[] = [];
  const flush = () => {
    if (!cur.length) return;
    const run: Run = {
      text: cur.map((r) => r.text).join(''),
      x0: Math.min(...cur.map((r) => r.x0)),
      x1: Math.max(...cur.map((r) => r.x1)),
      top: Math.min(...cur.map((r) => r.top)),
      bottom: Math.max(...cur.map((r) => r.bottom)),
      base: cur[0].base,
      size: Math.max(...cur.map((r) => r.size)),
    };
    out.push({ runs: cur, run });
    cur = [];
  };
  const sorted = [...runs].sort((a, b) => a.x0 - b.x0);
  for (const r of sorted) {
    const prev = cur[cur.length - 1];
    // CJK glyphs abut: a third of an em of white is already two cells (LibreOffice leaves ~4 pt gutters at 12 pt).
    if (prev && (r.x0 - prev.x1 > r.size * 0.3 || (cols && gutterOk && atGutter(cols, gutterOk, prev, r)))) flush();
    cur.push(r);
  }
  flush();
  return out;
}

/**
 * Is the gap between two runs of a line (at least a sixth of a glyph) the
 * gutter after column i, one that other lines attest (gutterOk[i]: a single
 * line's own letter spacing makes gutters of its own)?
 */
function atGutter(cols: readonly Column[], gutterOk: readonly boolean[], left: Run, right: Run): boolean {
  const gap = right.x0 - left.x1;
  if (gap < Math.max(left.size, right.size) / 6) return false;
  const tol = 0.5;
  for (let i = 0; i + 1 < cols.length; i++) {
    if (gutterOk[i] && left.x1 <= cols[i].x1 + tol && right.x0 >= cols[i + 1].x0 - tol && left.x0 >= cols[i].x0 - left.size) return true;
  }
  return false;
}

type Alignment = 'centre' | 'top' | 'bottom';

/**
 * How the cells sit in their rows. Word and WPS centre them by default, but
 * many tables keep them at the top (or bottom) of the row. Evidence: text
 * blocks of the other columns whose top (centre, bottom) lines up with a row
 * anchor's while their other edges do not (so the block is taller or shorter
 * than the anchor and the alignments can be told apart).
 */
interface AlignEvidence {
  centre: number;
  top: number;
  bottom: number;
  /** Kept for a single column: blocks starting clear of their first row's text. */
  offTop?: number;
}

function alignEvidence(blocks: readonly Block[], boxes: readonly { t: number; b: number }[], size: number, n: AlignEvidence) {
  const near = size * 0.25;
  const far = size * 0.5;
  for (const bl of blocks) {
    const over = boxes.filter((a) => a.t < bl.bottom && a.b > bl.top);
    if (over.length === 0) continue;
    // a block from the top of its first row's text to the bottom of its last row's tells nothing
    const dt = Math.abs(bl.top - over[0].t);
    const db = Math.abs(bl.bottom - over[over.length - 1].b);
    if (dt < near && db > far) n.top++;
    if (db < near && dt > far) n.bottom++;
    if (over.length === 1 && dt > far && Math.abs(centre(bl.top, bl.bottom) - centre(over[0].t, over[0].b)) < near) n.centre++;
    if (n.offTop !== undefined && dt > far) n.offTop++;
  }
}

/** Most of a column's blocks, and at least three, start level with their first row's text. */
function flushTop(n: AlignEvidence): boolean {
  return n.offTop !== undefined && n.top >= 3 && n.top > 2 * n.offTop;
}

function cellAlignment(n: AlignEvidence): Alignment {
  if (n.top >= 2 && n.top > 2 * n.centre && n.top > n.bottom) return 'top';
  if (n.bottom >= 2 && n.bottom > 2 * n.centre && n.bottom > n.top) return 'bottom';
  return 'centre';
}

const CLOSED = /[。；;！!？?）)」”：:]$/;
const ENUM_START = /^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,3}[.、．]|[①-⑳])/;

/**
 * Top- (bottom-) aligned cells of consecutive rows can abut with no more than
 * a line's spacing between them: a block is cut where one of its lines starts
 * (ends) level with a row anchor's text, provided the text before the cut is
 * finished — its last line is short of the column's right edge or closes with
 * punctuation — or the text after it starts a new numbered item. A merged
 * cell's text running on past a row's top is a full, open line and stays whole.
 */
function alignedParts(blocks: readonly Block[], boxes: readonly { t: number; b: number }[], align: Alignment, size: number): Block[] {
  const right = Math.max(...blocks.flatMap((b) => b.lines.map((l) => l.x1)));
  const tol = size * 0.25;
  const finished = (l: Line) => l.x1 < right - l.size * 1.2 || CLOSED.test(l.text);
  const out: Block[] = [];
  for (const b of blocks) {
    let cur: Line[] = [];
    for (let i = 0; i < b.lines.length; i++) {
      const l = b.lines[i];
      if (cur.length) {
        const prev = cur[cur.length - 1];
        const level =
          align === 'top' ? boxes.some((a) => Math.abs(a.t - l.top) < tol) : boxes.some((a) => Math.abs(a.b - prev.bottom) < tol);
        if (level && (finished(prev) || ENUM_START.test(l.text))) {
          out.push(mkBlock(cur));
          cur = [];
        }
      }
      cur.push(l);
    }
    if (cur.length) out.push(mkBlock(cur));
  }
  return out;
}

/**
 * Bottom-aligned cells end level with their row's foot, so the rest of a row cut by
 * the page break ends, in every column that held it, at one level above the first
 * row's text: the bottom of a line that ends a cell ("数据应用。", "属机构负责") in
 * two or more columns, with more text below it in each. Null when no such level.
 */
function bottomTailEnd(
  colLines: readonly Line[][],
  keyCol: number,
  boxes: readonly { t: number; b: number }[],
  size: number,
  cutCols: readonly number[],
): number | null {
  if (boxes.length === 0) return null;
  const tol = size * 0.25;
  const ends: number[][] = colLines.map((ls, c) =>
    c === keyCol ? [] : ls.filter((l) => l.bottom < boxes[0].t - tol && CELL_END.test(l.text) && ls.some((m) => m.top > l.bottom)).map((l) => l.bottom),
  );
  const levels = [...new Set(ends.flat())].sort((a, b) => a - b);
  // a column cut mid-text at the page foot: its rest ends at its first cell end
  const cutEnd = (y: number) => cutCols.some((c) => ends[c]?.[0] === y);
  for (const y of levels) {
    if (cutEnd(y) || ends.filter((es) => es.some((e) => Math.abs(e - y) < tol)).length >= 2) return y;
  }
  return null;
}

/**
 * Rows of a top-aligned column: each block belongs to the row whose anchor
 * text starts at or above the block's top (text above the first row is the
 * tail of a row cut at the page break: between anchors). Bottom-aligned: the
 * row whose anchor text ends at or below the block's bottom, and a merged
 * cell's text (at the foot of its last row) runs up to the row after the
 * block above it; its text goes to the run's first row.
 */
function placeAligned(parts: readonly Block[], boxes: readonly { t: number; b: number }[], align: Alignment, size: number): Piece[] {
  const tol = size * 0.25;
  const N = boxes.length;
  const out: Piece[] = [];
  const sorted = [...parts].sort((a, b) => a.top - b.top);
  let prevEnd = -1;
  for (const p of sorted) {
    let row: number;
    if (align === 'top') {
      row = -1;
      for (let i = 0; i < N; i++) if (boxes[i].t <= p.top + tol) row = i;
      if (row < 0) {
        out.push({ lines: p.lines, from: 0, to: -1 });
        continue;
      }
    } else {
      row = N - 1;
      for (let i = N - 1; i >= 0; i--) if (boxes[i].b >= p.bottom - tol) row = i;
    }
    const last = out[out.length - 1];
    if (last && last.to >= 0 && row <= (align === 'top' ? last.from : prevEnd)) {
      last.lines = [...last.lines, ...p.lines];
      continue;
    }
    const from = align === 'bottom' ? Math.min(row, prevEnd + 1) : row;
    out.push({ lines: p.lines, from, to: align === 'bottom' ? row : from });
    prevEnd = row;
  }
  return out;
}

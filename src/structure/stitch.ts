import type { Block, TableBlock, TableCell } from '../model/document.js';
import { buildGrid, type Grid } from '../model/grid.js';
import { findHeader, rowHasSignature, type FieldRole, type TableHeader } from './header.js';
import { normalizeText } from '../lexicon/text.js';
import { isOpen } from './table-tasks.js';

export interface LogicalTable {
  table: TableBlock;
  header: TableHeader;
  /**
   * The source merges cells vertically somewhere in the body (read before
   * seams are joined, which merge on their own). A table that never merges
   * leaves group cells blank instead, and blanks then inherit.
   */
  mergesRows: boolean;
  /**
   * Text found between two pieces at the top of the later page and not
   * placed in any row (the reader could not fit it to the table's columns);
   * reported as a warning, never dropped silently.
   */
  unplaced?: { text: string; page: number }[];
  /**
   * buildGrid(table) while it still holds: the grid is built once per piece to
   * find its header, and a table of one piece with no header repeated needs
   * no other. Dropped when the table is changed.
   */
  grid?: Grid;
}

function bodyMerges(b: TableBlock, headerEnd: number): boolean {
  return b.cells.some((c) => c.rowSpan > 1 && c.row >= headerEnd);
}

/** Blocks that may sit between two pieces of one table (page furniture a reader left). */
function isSeamNoise(b: Block): boolean {
  if (b.kind === 'table') return false;
  const t = b.text.replace(/\s/g, '');
  return t === '' || /^(续表|[-—–]?\d{1,4}[-—–]?|第\d+页(共\d+页)?|\d+\/\d+)$/.test(t);
}

/**
 * Tables split by page breaks (Word splitting a table, one piece per PDF
 * page) become one logical table when the columns line up: repeated header
 * rows are dropped, and a merged cell cut at the seam is one cell again.
 */
export function stitchPageBreaks(blocks: Block[]): LogicalTable[] {
  const out: LogicalTable[] = [];
  // Tables whose cells are copies of the reader's: cells are copied on the first
  // append, the only step that changes them in place (the reader's blocks stay as read).
  const ownCells = new Set<LogicalTable>();
  let current: LogicalTable | null = null;
  let gapOk = true;
  let gapText: { text: string; page: number | undefined }[] = [];
  let lastPage: number | undefined;
  for (const b of blocks) {
    if (b.kind !== 'table') {
      if (!isSeamNoise(b)) {
        gapOk = false;
        gapText.push({ text: b.text, page: b.page });
      }
      continue;
    }
    const grid = buildGrid(b);
    const header = findHeader(b, grid);
    // A piece without a header on the next page, after nothing but text at the top of that page:
    // the rest of a cut row the reader could not place, then the table running on.
    const runsOn =
      !gapOk &&
      !header &&
      b.page !== undefined &&
      lastPage !== undefined &&
      b.page === lastPage + 1 &&
      gapText.every((g) => g.page === b.page);
    if (current && (gapOk || runsOn) && b.cols === current.table.cols && (!header || header.signature === current.header.signature)) {
      if (runsOn) (current.unplaced ??= []).push(...gapText.map((g) => ({ text: g.text, page: g.page! })));
      if (!ownCells.has(current)) {
        current.table.cells = current.table.cells.map((c) => ({ ...c }));
        ownCells.add(current);
      }
      current.grid = undefined;
      current.mergesRows ||= bodyMerges(b, header ? header.end : 0);
      append(current, b, header ? header.end : 0);
    } else if (header) {
      current = { table: { ...b, pageBreakBefore: [...(b.pageBreakBefore ?? [])] }, header, mergesRows: bodyMerges(b, header.end), grid };
      out.push(current);
    } else {
      current = null;
    }
    gapOk = true;
    gapText = [];
    lastPage = b.page;
  }
  for (const lt of out) dropRepeatedHeaders(lt);
  return out;
}

function append(target: LogicalTable, piece: TableBlock, skipRows: number) {
  const t = target.table;
  const offset = t.rows - skipRows;
  const roles = target.header.columns;
  // The cells reaching the last row, by grid column (as buildGrid would place them; no full grid per piece).
  const last = t.rows - 1;
  const lastRowCells = new Map<number, TableCell>();
  for (const cell of t.cells) {
    if (cell.row > last || cell.row + Math.max(1, cell.rowSpan) <= last) continue;
    for (let c = cell.col; c < Math.min(t.cols, cell.col + Math.max(1, cell.colSpan)); c++) {
      if (!lastRowCells.has(c)) lastRowCells.set(c, cell);
    }
  }
  const firstRow = skipRows;
  // A first row with its own 序号 is a new row; without one it is the rest of a row cut at the page foot.
  const firstRowNumbered = piece.cells.some((c) => c.row === firstRow && roles[c.col] === 'seq' && /\d/.test(c.text));
  for (const cell of piece.cells) {
    if (cell.row < skipRows) continue;
    const moved: TableCell = { ...cell, row: cell.row + offset };
    if (cell.row === firstRow && isUnitsRole(roles[cell.col])) {
      const above = lastRowCells.get(cell.col);
      if (above && above.col === cell.col) moveUnitsTail(above, moved);
    }
    if (cell.row === firstRow && t.origin === 'grid' && isCarried(roles[cell.col])) {
      const above = lastRowCells.get(cell.col);
      if (
        above &&
        above.col === cell.col &&
        above.colSpan === cell.colSpan &&
        // over a new row, or over the cut row's rest and on into new rows (a lone fragment cell is table-tasks' to join)
        (firstRowNumbered || cell.rowSpan > 1) &&
        isUnitsRole(roles[cell.col]) &&
        target.mergesRows &&
        unitsCutAtSeam(above.text, cell.text, unitsClosedShare(t, roles))
      ) {
        // One merged units cell cut by the page break ("…各直属机" | "构负责"): one cell, one text.
        above.rowSpan = moved.row + moved.rowSpan - above.row;
        above.text = `${above.text}\n${cell.text}`;
        continue;
      }
      if (above && above.col === cell.col && above.colSpan === cell.colSpan && seamJoins(above.text, cell.text, target.mergesRows)) {
        // One merged cell drawn on both pages: extend it instead of starting a new one.
        above.rowSpan = moved.row + moved.rowSpan - above.row;
        if (!above.text.trim()) above.text = cell.text;
        continue;
      }
    }
    t.cells.push(moved);
  }
  t.pageBreakBefore = [...(t.pageBreakBefore ?? []), t.rows];
  t.rows += piece.rows - skipRows;
}

function isUnitsRole(role: FieldRole | undefined): boolean {
  return role === 'units' || role === 'lead' || role === 'cooperating';
}

/**
 * A units list cut at the page foot ("…区环保局、区住房") whose rest was laid
 * out at the top of the next page in the next row's cell: the lines up to the
 * first one that closes with a role word belong to the row above.
 */
function moveUnitsTail(above: TableCell, below: TableCell) {
  if (!isOpen(normalizeText(above.text))) return;
  const lines = below.text.split('\n');
  const close = lines.findIndex((l) => /(负责|牵头|配合|协办|落实|参与|負責|牽頭)[。.]?$/.test(l.trim()));
  if (close < 0 || close === lines.length - 1) return; // the whole cell is one list: leave it to the join rules
  above.text = `${above.text}\n${lines.slice(0, close + 1).join('\n')}`;
  below.text = lines.slice(close + 1).join('\n');
}

/** Share of the table's non-empty units cells that close with a role word or punctuation. */
function unitsClosedShare(t: TableBlock, roles: readonly (FieldRole | undefined)[]): number {
  let all = 0;
  let closed = 0;
  for (const c of t.cells) {
    if (!isUnitsRole(roles[c.col])) continue;
    const text = normalizeText(c.text);
    if (!text) continue;
    all++;
    if (!isOpen(text)) closed++;
  }
  return all >= 4 ? closed / all : 0;
}

/**
 * A units phrase the page break cut in two: in a table whose units phrases
 * mostly close with a role word (the cut ones themselves lower the share),
 * the part above the seam does not and the part below does.
 */
function unitsCutAtSeam(above: string, below: string, closedShare: number): boolean {
  const a = normalizeText(above);
  const b = normalizeText(below);
  return closedShare >= 0.6 && a !== '' && b !== '' && isOpen(a) && !isOpen(b);
}

function isCarried(role: FieldRole | undefined): boolean {
  return role === 'group' || role === 'units' || role === 'lead' || role === 'cooperating' || role === 'deadline';
}

/**
 * Whether the cell at the top of a new page continues the one above the
 * seam. An empty part is only the other part of a merged cell when the
 * table merges at all; otherwise an empty cell above is just empty.
 */
function seamJoins(above: string, below: string, tableMerges: boolean): boolean {
  const a = above.replace(/\s/g, '');
  const b = below.replace(/\s/g, '');
  if (a === b) return true;
  return tableMerges && (a === '' || b === '');
}

function dropRepeatedHeaders(lt: LogicalTable) {
  const t = lt.table;
  const grid = lt.grid ?? buildGrid(t);
  lt.grid = grid;
  const drop = new Set<number>();
  for (let r = lt.header.end; r < t.rows; r++) {
    if (rowHasSignature(grid, r, lt.header.signature)) drop.add(r);
  }
  if (drop.size === 0) return;
  lt.grid = undefined;
  const newIndex: number[] = [];
  let n = 0;
  for (let r = 0; r < t.rows; r++) newIndex.push(drop.has(r) ? -1 : n++);
  t.cells = t.cells
    .filter((c) => !drop.has(c.row))
    .map((c) => {
      let span = 0;
      for (let r = c.row; r < c.row + c.rowSpan && r < t.rows; r++) if (!drop.has(r)) span++;
      return { ...c, row: newIndex[c.row], rowSpan: Math.max(1, span) };
    });
  t.pageBreakBefore = (t.pageBreakBefore ?? []).map((r) => newIndex[r] ?? r).filter((r) => r >= 0);
  t.rows = n;
}

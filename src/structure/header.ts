import type { TableBlock } from '../model/document.js';
import { buildGrid, type Grid } from '../model/grid.js';
import { headerRole, type ColumnRole } from '../lexicon/kinds.js';
import { normalizeText } from '../lexicon/text.js';

/** The role of each grid column once the header is read; 'group' columns become path levels. */
export type FieldRole = 'seq' | 'group' | 'content' | 'units' | 'lead' | 'cooperating' | 'deadline' | 'other';

export interface TableHeader {
  /** Grid rows [0, end) are header rows. */
  end: number;
  columns: FieldRole[];
  /** Normalised texts of the header row, to recognise it when it repeats after a page break. */
  signature: string;
}

/** Labels of a row, one per distinct cell. */
export function rowLabels(grid: Grid, r: number): string[] {
  const seen = new Set<unknown>();
  const out: string[] = [];
  for (const slot of grid[r] ?? []) {
    if (!slot || seen.has(slot.cell)) continue;
    seen.add(slot.cell);
    out.push(normalizeText(slot.cell.text));
  }
  return out;
}

/**
 * Whether row r's labels joined with '|' equal the signature, compared cell by
 * cell so that a data row is usually rejected at its first cell without the
 * rest of its text being normalised.
 */
export function rowHasSignature(grid: Grid, r: number, signature: string): boolean {
  const seen = new Set<unknown>();
  let pos = 0;
  for (const slot of grid[r] ?? []) {
    if (!slot || seen.has(slot.cell)) continue;
    const piece = seen.size === 0 ? normalizeText(slot.cell.text) : `|${normalizeText(slot.cell.text)}`;
    seen.add(slot.cell);
    if (!signature.startsWith(piece, pos)) return false;
    pos += piece.length;
  }
  return pos === signature.length;
}

/** True when most non-empty cells of the row are header labels, including a task or units label. */
export function isHeaderRow(labels: string[]): boolean {
  const nonEmpty = labels.filter((l) => l !== '');
  if (nonEmpty.length < 2) return false;
  const roles = nonEmpty.map((l) => headerRole(l));
  const known = roles.filter((r) => r !== null).length;
  return known >= 2 && known >= nonEmpty.length * 0.6 && roles.some((r) => r === 'task' || r === 'units' || r === 'lead');
}

export function findHeader(table: TableBlock, grid: Grid = buildGrid(table)): TableHeader | null {
  const limit = Math.min(table.rows, 4);
  for (let r = 0; r < limit; r++) {
    if (!isHeaderRow(rowLabels(grid, r))) continue;
    let end = r + 1;
    // A two-storey header: 责任单位 spanning 牵头单位 | 配合单位 on the row below.
    if (end < table.rows && isHeaderRow(rowLabels(grid, end))) end++;
    return { end, columns: columnRoles(grid, r, end, table.cols), signature: rowLabels(grid, r).join('|') };
  }
  return null;
}

function columnRoles(grid: Grid, start: number, end: number, cols: number): FieldRole[] {
  const raw: (ColumnRole | null)[] = [];
  for (let c = 0; c < cols; c++) {
    let role: ColumnRole | null = null;
    // The lowest header row that names the column wins (it is the most specific).
    for (let r = end - 1; r >= start && role === null; r--) {
      const slot = grid[r]?.[c];
      if (slot) role = headerRole(slot.cell.text);
    }
    raw.push(role);
  }
  return assignTaskColumns(raw);
}

/** Of the task-text columns the last holds the task itself; the ones before it are group levels. */
export function assignTaskColumns(raw: (ColumnRole | null)[]): FieldRole[] {
  let lastTask = -1;
  raw.forEach((r, i) => {
    if (r === 'task') lastTask = i;
  });
  return raw.map((r, i) => {
    if (r === 'task') return i === lastTask ? 'content' : 'group';
    if (r === null) return lastTask < 0 || i < lastTask ? 'group' : 'other';
    return r;
  });
}

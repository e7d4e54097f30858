import type { TableBlock, TableCell } from './document.js';

/**
 * A grid position: which cell owns it, and whether it is the cell's own
 * top-left slot. `null` means no cell reaches this position at all (a short
 * row). Merged-cell ownership is then read off the grid, never guessed.
 */
export interface GridSlot {
  cell: TableCell;
  /** True at the owning cell's top-left position. */
  origin: boolean;
  /** True when this slot is reached by the cell's rowSpan from a row above. */
  coveredFromAbove: boolean;
}

export type Grid = (GridSlot | null)[][];

export function buildGrid(table: TableBlock): Grid {
  const grid: Grid = [];
  for (let r = 0; r < table.rows; r++) grid.push(new Array<GridSlot | null>(table.cols).fill(null));
  for (const cell of table.cells) {
    const rowEnd = Math.min(table.rows, cell.row + Math.max(1, cell.rowSpan));
    const colEnd = Math.min(table.cols, cell.col + Math.max(1, cell.colSpan));
    for (let r = cell.row; r < rowEnd; r++) {
      for (let c = cell.col; c < colEnd; c++) {
        if (grid[r][c]) continue; // first writer wins on overlapping spans
        grid[r][c] = { cell, origin: r === cell.row && c === cell.col, coveredFromAbove: r > cell.row };
      }
    }
  }
  return grid;
}

/** Texts of one grid row, one entry per distinct cell left to right (a spanning cell once). */
export function rowCells(grid: Grid, r: number): TableCell[] {
  const out: TableCell[] = [];
  for (const slot of grid[r] ?? []) {
    if (slot && out[out.length - 1] !== slot.cell) out.push(slot.cell);
  }
  return out;
}

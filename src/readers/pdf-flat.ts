/**
 * Tables without ruling lines (stub, replaced below).
 */
import type { Run } from './pdf-text.js';

export interface FlatCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
}
export interface FlatTable {
  top: number;
  rows: number;
  cols: number;
  cells: FlatCell[];
}
export interface FlatState {
  columns: { x0: number; x1: number }[] | null;
}
export function findFlatTables(runs: Run[], _w: number, _h: number, _s: FlatState): { tables: FlatTable[]; rest: Run[] } {
  return { tables: [], rest: runs };
}

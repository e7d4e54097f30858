/**
 * Ruled tables: segments → table regions → row/column lines → cell boxes
 * (merged cells where a box crosses undrawn row/column lines) → text.
 */
import type { Segment } from './pdf-rules.js';
import type { Run } from './pdf-text.js';
import { runsText } from './pdf-text.js';

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  runs: Run[];
  text: string;
}

export interface GridTable {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  rows: number;
  cols: number;
  cells: GridCell[];
}

const TOL = 2;
/** Rule positions closer than this are one line. */
const SNAP = 3.5;

/** Group segments into connected components (touching/crossing within TOL). */
function components(segs: readonly Segment[]): Segment[][] {
  const n = segs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const touches = (a: Segment, b: Segment): boolean => {
    if (a.dir === b.dir) {
      return Math.abs(a.pos - b.pos) <= TOL && a.from <= b.to + TOL && b.from <= a.to + TOL;
    }
    const h = a.dir === 'h' ? a : b;
    const v = a.dir === 'h' ? b : a;
    return v.pos >= h.from - TOL && v.pos <= h.to + TOL && h.pos >= v.from - TOL && h.pos <= v.to + TOL;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (touches(segs[i], segs[j])) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[a] = b;
      }
    }
  }
  const groups = new Map<number, Segment[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(segs[i]);
  }
  return [...groups.values()];
}

function clusterPositions(values: number[], tol: number): number[] {
  values.sort((a, b) => a - b);
  const out: number[] = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || values[i] - values[i - 1] > tol) {
      let s = 0;
      for (let k = start; k < i; k++) s += values[k];
      out.push(s / (i - start));
      start = i;
    }
  }
  return out;
}

/** Does some segment at `pos` (within TOL) cover [a, b] (mostly)? */
function covered(list: readonly Segment[], pos: number, a: number, b: number): boolean {
  const w = b - a;
  const m = (a + b) / 2;
  const need0 = m - w * 0.3;
  const need1 = m + w * 0.3;
  for (const s of list) {
    if (Math.abs(s.pos - pos) <= SNAP && s.from <= need0 && s.to >= need1) return true;
  }
  return false;
}

/**
 * Build ruled tables from merged segments. Runs inside a table are consumed
 * (returned in `used`), the rest stay page text.
 */
interface Built {
  table: GridTable;
  xs: number[];
  ys: number[];
  owner: GridCell[];
}

export function buildRuledTables(segs: readonly Segment[], runs: readonly Run[]): { tables: GridTable[]; rest: Run[] } {
  const built: Built[] = [];
  for (const comp of components(segs)) {
    const hs = comp.filter((s) => s.dir === 'h');
    const vs = comp.filter((s) => s.dir === 'v');
    if (hs.length < 2 || vs.length < 2) continue;
    // double rules (two lines a few points apart) count as one line
    const ys = clusterPositions(hs.map((s) => s.pos), SNAP);
    const xs = clusterPositions(vs.map((s) => s.pos), SNAP);
    if (ys.length < 2 || xs.length < 2) continue;
    const x0 = xs[0], x1 = xs[xs.length - 1], top = ys[0], bottom = ys[ys.length - 1];
    if (x1 - x0 < 20 || bottom - top < 8) continue;
    const R = ys.length - 1;
    const C = xs.length - 1;
    const parent = Array.from({ length: R * C }, (_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
      }
      return i;
    };
    const union = (a: number, b: number) => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    };
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        if (c + 1 < C && !covered(vs, xs[c + 1], ys[r], ys[r + 1])) union(r * C + c, r * C + c + 1);
        if (r + 1 < R && !covered(hs, ys[r + 1], xs[c], xs[c + 1])) union(r * C + c, (r + 1) * C + c);
      }
    }
    const boxes = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        const k = find(r * C + c);
        const b = boxes.get(k);
        if (!b) boxes.set(k, { r0: r, r1: r, c0: c, c1: c });
        else {
          b.r0 = Math.min(b.r0, r);
          b.r1 = Math.max(b.r1, r);
          b.c0 = Math.min(b.c0, c);
          b.c1 = Math.max(b.c1, c);
        }
      }
    }
    if (boxes.size < 2) continue; // a single framed box is not a table
    const cells: GridCell[] = [];
    const owner: GridCell[] = new Array(R * C);
    for (const b of [...boxes.values()].sort((p, q) => p.r0 - q.r0 || p.c0 - q.c0)) {
      const cell: GridCell = {
        row: b.r0,
        col: b.c0,
        rowSpan: b.r1 - b.r0 + 1,
        colSpan: b.c1 - b.c0 + 1,
        x0: xs[b.c0],
        x1: xs[b.c1 + 1],
        top: ys[b.r0],
        bottom: ys[b.r1 + 1],
        runs: [],
        text: '',
      };
      cells.push(cell);
      for (let r = b.r0; r <= b.r1; r++) for (let c = b.c0; c <= b.c1; c++) if (!owner[r * C + c]) owner[r * C + c] = cell;
    }
    built.push({ table: { x0, x1, top, bottom, rows: R, cols: C, cells }, xs, ys, owner });
  }
  if (built.length === 0) return { tables: [], rest: [...runs] };

  const rest: Run[] = [];
  for (const run0 of runs) {
    let placed = false;
    const cy = (run0.top + run0.bottom) / 2;
    for (const ext of built) {
      const t = ext.table;
      const cx = (run0.x0 + run0.x1) / 2;
      if (cx < t.x0 - 1 || cx > t.x1 + 1 || cy < t.top - 1 || cy > t.bottom + 1) continue;
      const r = bandIndex(ext.ys, cy);
      // a run crossing drawn column lines is split (producers that emit a whole row as one string)
      for (const piece of splitAtColumns(run0, ext.xs, (x) => {
        const c = bandIndex(ext.xs, x);
        return c + 1 < t.cols && ext.owner[r * t.cols + c] !== ext.owner[r * t.cols + c + 1];
      })) {
        const c = bandIndex(ext.xs, (piece.x0 + piece.x1) / 2);
        ext.owner[r * t.cols + c].runs.push(piece);
      }
      placed = true;
      break;
    }
    if (!placed) rest.push(run0);
  }
  for (const b of built) for (const c of b.table.cells) c.text = runsText(c.runs);
  return { tables: built.map((b) => b.table), rest };
}

function bandIndex(lines: readonly number[], v: number): number {
  // lines sorted ascending; band i = [lines[i], lines[i+1])
  let lo = 0;
  let hi = lines.length - 2;
  if (v <= lines[0]) return 0;
  if (v >= lines[lines.length - 1]) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Split a run at interior column lines it crosses by more than a glyph's
 * half width on both sides; characters are apportioned by position
 * (assumes near-uniform advance, true for CJK).
 */
function splitAtColumns(run: Run, xs: readonly number[], drawn: (x: number) => boolean): Run[] {
  const chars = [...run.text];
  if (chars.length < 2) return [run];
  const w = run.x1 - run.x0;
  const cw = w / chars.length;
  const cuts: number[] = [];
  for (let i = 1; i < xs.length - 1; i++) {
    const x = xs[i];
    if (x > run.x0 + cw * 0.5 && x < run.x1 - cw * 0.5 && drawn(x - 1)) cuts.push(x);
  }
  if (cuts.length === 0) return [run];
  const out: Run[] = [];
  let startIdx = 0;
  let startX = run.x0;
  for (const x of [...cuts, Infinity]) {
    const endIdx = x === Infinity ? chars.length : Math.round((x - run.x0) / cw);
    if (endIdx > startIdx) {
      const text = chars.slice(startIdx, endIdx).join('');
      const ex = x === Infinity ? run.x1 : run.x0 + endIdx * cw;
      if (text.trim()) out.push({ ...run, text, x0: startX, x1: ex });
      startIdx = endIdx;
      startX = ex;
    }
  }
  return out.length ? out : [run];
}

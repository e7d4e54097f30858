/**
 * Ruling lines from a pdf.js operator list: stroked paths and thin filled
 * rectangles, CTM tracked through save/restore/transform and form XObjects,
 * snapped to horizontal/vertical segments in viewport space.
 */
import { mul } from './pdf-text.js';

/** A horizontal (y fixed) or vertical (x fixed) segment, viewport space. */
export interface Segment {
  /** 'h': pos = y, from/to = x range.  'v': pos = x, from/to = y range. */
  dir: 'h' | 'v';
  pos: number;
  from: number;
  to: number;
}

/** Operator codes we need (values of pdf.js `OPS`, passed in to avoid a static import). */
export interface OpsTable {
  save: number;
  restore: number;
  transform: number;
  constructPath: number;
  moveTo: number;
  lineTo: number;
  curveTo: number;
  curveTo2: number;
  curveTo3: number;
  closePath: number;
  rectangle: number;
  stroke: number;
  closeStroke: number;
  fill: number;
  eoFill: number;
  fillStroke: number;
  eoFillStroke: number;
  closeFillStroke: number;
  closeEOFillStroke: number;
  endPath: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  setLineWidth: number;
}

/** pdf.js 5 DrawOPS codes inside a constructPath buffer. */
export interface DrawOpsTable {
  moveTo: number;
  lineTo: number;
  curveTo: number;
  closePath: number;
  quadraticCurveTo?: number;
}

/** Max thickness (pt) for a filled rectangle to count as a rule. */
const THIN = 3;
/** A segment shorter than this is noise (glyph strokes, dots). */
const MIN_LEN = 4;
/** Tolerance (pt) for "axis-aligned". */
const AXIS_TOL = 0.8;

type Pt = [number, number];

export function extractSegments(
  fnArray: readonly number[],
  argsArray: readonly unknown[],
  OPS: OpsTable,
  DRAW: DrawOpsTable,
  base: readonly number[],
): Segment[] {
  const segs: Segment[] = [];
  let ctm: number[] = [...base];
  const stack: number[][] = [];
  let lineWidth = 1;
  const lwStack: number[] = [];
  // legacy path ops (pre-5 operator lists): accumulate subpaths until a paint op
  let pending: Pt[][] = [];
  let cur: Pt[] | null = null;
  let pendingClosed: boolean[] = [];

  const tp = (x: number, y: number): Pt => [ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]];

  const paint = (paintOp: number, paths: Pt[][], closed: boolean[]) => {
    const stroke =
      paintOp === OPS.stroke ||
      paintOp === OPS.closeStroke ||
      paintOp === OPS.fillStroke ||
      paintOp === OPS.eoFillStroke ||
      paintOp === OPS.closeFillStroke ||
      paintOp === OPS.closeEOFillStroke;
    const fill =
      paintOp === OPS.fill ||
      paintOp === OPS.eoFill ||
      paintOp === OPS.fillStroke ||
      paintOp === OPS.eoFillStroke ||
      paintOp === OPS.closeFillStroke ||
      paintOp === OPS.closeEOFillStroke;
    if (!stroke && !fill) return; // endPath (clip paths) draws nothing
    const closeAll =
      paintOp === OPS.closeStroke || paintOp === OPS.closeFillStroke || paintOp === OPS.closeEOFillStroke;
    // stroke width in device space (approx.: scale of the CTM)
    const scale = Math.sqrt(Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])) || 1;
    const lw = lineWidth * scale;
    for (let p = 0; p < paths.length; p++) {
      const pts = paths[p];
      if (pts.length < 2) continue;
      if (fill && !stroke) {
        // thin filled rectangle (or thin polygon) → one rule along its long side
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        for (const [x, y] of pts) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
        const w = x1 - x0;
        const h = y1 - y0;
        if (h <= THIN && w >= MIN_LEN) segs.push({ dir: 'h', pos: (y0 + y1) / 2, from: x0, to: x1 });
        else if (w <= THIN && h >= MIN_LEN) segs.push({ dir: 'v', pos: (x0 + x1) / 2, from: y0, to: y1 });
        continue;
      }
      if (lw > 6) continue; // very thick strokes are decoration, not rules
      const n = pts.length;
      const last = closed[p] || closeAll ? n : n - 1;
      for (let i = 0; i < last; i++) {
        const a = pts[i];
        const b = pts[(i + 1) % n];
        addSeg(segs, a, b);
      }
    }
  };

  const n = fnArray.length;
  for (let i = 0; i < n; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    switch (fn) {
      case OPS.save:
        stack.push(ctm);
        lwStack.push(lineWidth);
        break;
      case OPS.restore:
        if (stack.length) ctm = stack.pop()!;
        if (lwStack.length) lineWidth = lwStack.pop()!;
        break;
      case OPS.transform:
        if (args && args.length >= 6) ctm = mul(ctm, args as number[]);
        break;
      case OPS.paintFormXObjectBegin: {
        stack.push(ctm);
        lwStack.push(lineWidth);
        const m = args?.[0] as number[] | null | undefined;
        if (m && m.length >= 6) ctm = mul(ctm, Array.from(m));
        break;
      }
      case OPS.paintFormXObjectEnd:
        if (stack.length) ctm = stack.pop()!;
        if (lwStack.length) lineWidth = lwStack.pop()!;
        break;
      case OPS.setLineWidth:
        if (args && typeof args[0] === 'number') lineWidth = args[0] as number;
        break;
      case OPS.constructPath: {
        if (!args) break;
        const paintOp = args[0] as number;
        const bufs = args[1] as (ArrayLike<number> | null)[] | undefined;
        const buf = bufs?.[0];
        if (!buf) {
          // pdf.js 5 with an empty buffer; older lists: [ops[], coords[], minMax]
          if (Array.isArray(args[0]) && Array.isArray(args[1])) {
            const { paths, closed } = decodeLegacy(args[0] as number[], args[1] as number[], OPS, tp);
            // older pdf.js emitted the paint op separately; keep paths pending
            pending.push(...paths);
            pendingClosed.push(...closed);
          }
          break;
        }
        const { paths, closed } = decodeBuffer(buf, DRAW, tp);
        paint(paintOp, paths, closed);
        break;
      }
      case OPS.moveTo:
        if (args) {
          cur = [tp(args[0] as number, args[1] as number)];
          pending.push(cur);
          pendingClosed.push(false);
        }
        break;
      case OPS.lineTo:
        if (args) {
          if (!cur) {
            cur = [];
            pending.push(cur);
            pendingClosed.push(false);
          }
          cur.push(tp(args[0] as number, args[1] as number));
        }
        break;
      case OPS.curveTo:
      case OPS.curveTo2:
      case OPS.curveTo3:
        cur = null; // curves are never rules
        break;
      case OPS.closePath:
        if (pendingClosed.length) pendingClosed[pendingClosed.length - 1] = true;
        break;
      case OPS.rectangle:
        if (args) {
          const [x, y, w, h] = args as number[];
          pending.push([tp(x, y), tp(x + w, y), tp(x + w, y + h), tp(x, y + h)]);
          pendingClosed.push(true);
          cur = null;
        }
        break;
      case OPS.stroke:
      case OPS.closeStroke:
      case OPS.fill:
      case OPS.eoFill:
      case OPS.fillStroke:
      case OPS.eoFillStroke:
      case OPS.closeFillStroke:
      case OPS.closeEOFillStroke:
      case OPS.endPath:
        paint(fn, pending, pendingClosed);
        pending = [];
        pendingClosed = [];
        cur = null;
        break;
      default:
        break;
    }
  }
  return segs;
}

function addSeg(segs: Segment[], a: Pt, b: Pt): void {
  const dx = Math.abs(a[0] - b[0]);
  const dy = Math.abs(a[1] - b[1]);
  if (dy <= AXIS_TOL && dx >= MIN_LEN) {
    segs.push({ dir: 'h', pos: (a[1] + b[1]) / 2, from: Math.min(a[0], b[0]), to: Math.max(a[0], b[0]) });
  } else if (dx <= AXIS_TOL && dy >= MIN_LEN) {
    segs.push({ dir: 'v', pos: (a[0] + b[0]) / 2, from: Math.min(a[1], b[1]), to: Math.max(a[1], b[1]) });
  }
}

function decodeBuffer(
  buf: ArrayLike<number>,
  DRAW: DrawOpsTable,
  tp: (x: number, y: number) => Pt,
): { paths: Pt[][]; closed: boolean[] } {
  const paths: Pt[][] = [];
  const closed: boolean[] = [];
  let cur: Pt[] | null = null;
  const n = buf.length;
  let k = 0;
  while (k < n) {
    const op = buf[k++];
    if (op === DRAW.moveTo) {
      cur = [tp(buf[k], buf[k + 1])];
      paths.push(cur);
      closed.push(false);
      k += 2;
    } else if (op === DRAW.lineTo) {
      const p = tp(buf[k], buf[k + 1]);
      if (!cur) {
        cur = [];
        paths.push(cur);
        closed.push(false);
      }
      cur.push(p);
      k += 2;
    } else if (op === DRAW.curveTo) {
      // a curve breaks the polyline; restart from its end point
      const p = tp(buf[k + 4], buf[k + 5]);
      cur = [p];
      paths.push(cur);
      closed.push(false);
      k += 6;
    } else if (DRAW.quadraticCurveTo !== undefined && op === DRAW.quadraticCurveTo) {
      const p = tp(buf[k + 2], buf[k + 3]);
      cur = [p];
      paths.push(cur);
      closed.push(false);
      k += 4;
    } else if (op === DRAW.closePath) {
      if (closed.length) closed[closed.length - 1] = true;
      // a new subpath starts at the same point if more lineTos follow
      if (cur && cur.length) {
        const start: Pt = cur[0];
        cur = [start];
        paths.push(cur);
        closed.push(false);
      }
    } else {
      break; // unknown op: stop rather than misread coordinates
    }
  }
  return { paths, closed };
}

/** pdf.js < 5: constructPath args [ops[], coords[], minMax]. */
function decodeLegacy(
  ops: number[],
  coords: number[],
  OPS: OpsTable,
  tp: (x: number, y: number) => Pt,
): { paths: Pt[][]; closed: boolean[] } {
  const paths: Pt[][] = [];
  const closed: boolean[] = [];
  let cur: Pt[] | null = null;
  let j = 0;
  for (const op of ops) {
    if (op === OPS.rectangle) {
      const [x, y, w, h] = coords.slice(j, j + 4);
      j += 4;
      paths.push([tp(x, y), tp(x + w, y), tp(x + w, y + h), tp(x, y + h)]);
      closed.push(true);
      cur = null;
    } else if (op === OPS.moveTo) {
      cur = [tp(coords[j], coords[j + 1])];
      j += 2;
      paths.push(cur);
      closed.push(false);
    } else if (op === OPS.lineTo) {
      const p = tp(coords[j], coords[j + 1]);
      j += 2;
      if (!cur) {
        cur = [];
        paths.push(cur);
        closed.push(false);
      }
      cur.push(p);
    } else if (op === OPS.curveTo) {
      j += 6;
      cur = null;
    } else if (op === OPS.curveTo2 || op === OPS.curveTo3) {
      j += 4;
      cur = null;
    } else if (op === OPS.closePath) {
      if (closed.length) closed[closed.length - 1] = true;
    }
  }
  return { paths, closed };
}

/** Merge collinear overlapping/touching segments (same dir, pos within tol). */
export function mergeSegments(segs: readonly Segment[], tol = 1.5, gap = 2): Segment[] {
  const out: Segment[] = [];
  for (const dir of ['h', 'v'] as const) {
    const list = segs.filter((s) => s.dir === dir).sort((a, b) => a.pos - b.pos || a.from - b.from);
    // cluster by position
    let i = 0;
    while (i < list.length) {
      let j = i;
      let sum = 0;
      while (j < list.length && list[j].pos - list[i].pos <= tol) {
        sum += list[j].pos;
        j++;
      }
      const pos = sum / (j - i);
      const group = list.slice(i, j).sort((a, b) => a.from - b.from);
      let cur: Segment | null = null;
      for (const s of group) {
        if (cur && s.from <= cur.to + gap) {
          if (s.to > cur.to) cur.to = s.to;
        } else {
          if (cur) out.push(cur);
          cur = { dir, pos, from: s.from, to: s.to };
        }
      }
      if (cur) out.push(cur);
      i = j;
    }
  }
  return out;
}

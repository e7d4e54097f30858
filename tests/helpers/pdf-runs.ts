import type { PageData } from '../../src/readers/pdf.js';
import type { Run } from '../../src/readers/pdf-text.js';

/** A synthetic pdf.js text run: `text` set at (x, top) in a font of `size` points, one em per glyph. */
export function textRun(text: string, x: number, top: number, size = 12): Run {
  return { text, x0: x, x1: x + size * [...text].length, top, bottom: top + size, base: top + size * 0.85, size };
}

/** An A4 portrait page (595 × 842 pt) holding these runs and no drawn lines. */
export function a4Page(page: number, runs: Run[]): PageData {
  return { page, width: 595, height: 842, runs, segs: [] };
}

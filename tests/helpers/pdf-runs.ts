import type { Run } from '../../src/readers/pdf-text.js';

/** A synthetic pdf.js text run: `text` set at (x, top) in a font of `size` points, one em per glyph. */
export function textRun(text: string, x: number, top: number, size = 12): Run {
  return { text, x0: x, x1: x + size * [...text].length, top, bottom: top + size, base: top + size * 0.85, size };
}

/**
 * pdf.js's Node build requires @napi-rs/canvas (Skia) the moment it loads,
 * only to take DOMMatrix, ImageData and Path2D from it, and it needs a
 * DOMMatrix to load at all. gov-plan never renders a page: loading Skia cost
 * 80-120 ms per process and 26 MB of resident memory (it maps its own code
 * and the system's CJK fonts), about a tenth of a two-worker batch's peak.
 * And @napi-rs/canvas is only an optional dependency of pdf.js: where its
 * native build does not install, pdf.js would not load without this.
 *
 * While pdf.js loads, its require of the canvas package is answered with a
 * stand-in: DOMMatrix from a pure-JS implementation (the one place pdf.js
 * computes with it while reading, turning Type3 bitmap glyphs into paths,
 * needs scaleSelf/translateSelf and a-f), and rendering-only classes that
 * refuse to be built.
 */
import Module from 'node:module';
import DOMMatrixShim from '@thednp/dommatrix';

class RenderingOnly {
  constructor() {
    throw new Error('gov-plan reads PDFs without rendering them');
  }
}

const CANVAS_STANDIN = Object.freeze({ DOMMatrix: DOMMatrixShim, ImageData: RenderingOnly, Path2D: RenderingOnly });

type ModuleLoad = (this: unknown, request: string, ...rest: unknown[]) => unknown;

/** Run `load` (the import of pdf.js) with @napi-rs/canvas answered by the stand-in. */
export async function withoutCanvas<T>(load: () => Promise<T>): Promise<T> {
  const loader = Module as unknown as { _load: ModuleLoad };
  const original = loader._load;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    if (request === '@napi-rs/canvas') return CANVAS_STANDIN;
    return original.call(this, request, ...rest);
  };
  try {
    return await load();
  } finally {
    loader._load = original;
  }
}

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readPdf } from '../src/readers/pdf.js';

const corpus = join(__dirname, '..', 'fixtures', 'corpus');

describe('loading pdf.js', () => {
  it("leaves the engine's own Array.prototype.push and JSON.parse in place after reading a PDF (its core-js polyfills are undone)", async () => {
    const push = Array.prototype.push;
    const parse = JSON.parse;
    const doc = await readPdf(new Uint8Array(readFileSync(join(corpus, 'xinhui-kaifaqu-2018-narrative', 'xinhui-kaifaqu-2018-narrative.pdf'))));
    expect(doc.blocks.length).toBeGreaterThan(10);
    expect(Array.prototype.push).toBe(push);
    expect(JSON.parse).toBe(parse);
    expect(Function.prototype.toString.call(push)).toContain('[native code]');
  });

  it('reads CJK text with the font-face stub in place (fonts are measured, never drawn)', async () => {
    const doc = await readPdf(new Uint8Array(readFileSync(join(corpus, 'jiangmen-jianguan-2022-fengong', 'jiangmen-jianguan-2022-fengong.pdf'))));
    const table = doc.blocks.find((b) => b.kind === 'table');
    expect(table && table.kind === 'table' && table.cells.some((c) => c.text === '工作任务') && table.cells.some((c) => c.text.includes('办公室牵头'))).toBe(true);
  });
});

describe('pdf.js without its canvas package', () => {
  const require = createRequire(import.meta.url);

  it('reads a PDF without loading @napi-rs/canvas (Skia: 26 MB and ~100 ms per process, never used for reading)', async () => {
    const doc = await readPdf(new Uint8Array(readFileSync(join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.pdf'))));
    expect(doc.blocks.some((b) => b.kind === 'table')).toBe(true);
    expect(Object.keys(require.cache).filter((k) => k.includes('@napi-rs'))).toEqual([]);
  });

  it("gives pdf.js a DOMMatrix that computes what the canvas package's does (Type3 bitmap glyphs are turned into paths with it)", async () => {
    await readPdf(new Uint8Array(readFileSync(join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.pdf'))));
    const Shim = (globalThis as unknown as { DOMMatrix: new (init?: number[]) => DOMMatrixLike }).DOMMatrix;
    const { DOMMatrix: Skia } = require('@napi-rs/canvas') as { DOMMatrix: new (init?: number[]) => DOMMatrixLike };
    const coefficients = (m: DOMMatrixLike) => [m.a, m.b, m.c, m.d, m.e, m.f].map((v) => v + 0);
    for (const [w, h] of [[8, 8], [13, 7], [1, 250]]) {
      // The call pdf.js makes in compileType3Glyph.
      const mine = new Shim().scaleSelf(1 / w, -1 / h).translateSelf(0, -h);
      const theirs = new Skia().scaleSelf(1 / w, -1 / h).translateSelf(0, -h);
      expect(coefficients(mine)).toEqual(coefficients(theirs));
    }
    const init = [1.5, 0.25, -0.5, 2, 30, -7];
    expect(coefficients(new Shim(init).translateSelf(3, 4).scaleSelf(2, 0.5))).toEqual(coefficients(new Skia(init).translateSelf(3, 4).scaleSelf(2, 0.5)));
  });
});

describe('a Type3 font with bitmap glyphs', () => {
  it('has its glyph turned into a path by pdf.js with the stand-in DOMMatrix (not dropped as an unreadable font)', async () => {
    const { loadPdfJs, pdfLoadOptions } = await import('../src/readers/pdf.js');
    const pdfjs = await loadPdfJs();
    const doc = await pdfjs.getDocument(pdfLoadOptions(new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', 'pdf', 'type3-bitmap.pdf'))))).promise;
    try {
      const page = await doc.getPage(1);
      const ol = await page.getOperatorList();
      const fontIds = ol.fnArray.flatMap((fn, i) => (fn === pdfjs.OPS.setFont ? [ol.argsArray[i][0] as string] : []));
      const glyphOps = fontIds
        .map((id) => (page.commonObjs.get(id) as { charProcOperatorList?: Record<string, { fnArray: number[] }> }).charProcOperatorList)
        .flatMap((procs) => (procs ? Object.values(procs).map((l) => l.fnArray) : []));
      expect(glyphOps).toEqual([[pdfjs.OPS.save, pdfjs.OPS.transform, pdfjs.OPS.constructPath, pdfjs.OPS.restore]]);
    } finally {
      await doc.destroy();
    }
  });
});

interface DOMMatrixLike {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
  scaleSelf(x: number, y?: number): DOMMatrixLike;
  translateSelf(x: number, y?: number): DOMMatrixLike;
}

describe('a PDF cut short', () => {
  it('is read as far as it goes, with a PDF_TRUNCATED warning when %%EOF is missing', async () => {
    const bytes = new Uint8Array(readFileSync(join(corpus, 'xinhui-kaifaqu-2018-narrative', 'xinhui-kaifaqu-2018-narrative.pdf')));
    const whole = await readPdf(bytes);
    expect(whole.warnings.map((w) => w.code)).not.toContain('PDF_TRUNCATED');
    const tail = Buffer.from(bytes.subarray(bytes.length - 64)).toString('latin1');
    const cut = bytes.slice(0, bytes.length - 64 + tail.lastIndexOf('%%EOF'));
    const doc = await readPdf(cut);
    expect(doc.warnings.map((w) => w.code)).toContain('PDF_TRUNCATED');
    expect(doc.blocks.length).toBe(whole.blocks.length);
  });
});

describe('a PDF with damaged cross-reference entries', () => {
  it('is reported as damaged, not as a scan needing OCR', async () => {
    // Seeded mutation from the fuzz suite (seed 23, case 359): 1571 bytes zeroed near the end.
    const { caseSeed, mutate } = await import('../scripts/fuzz.js');
    const original = new Uint8Array(readFileSync(join(corpus, 'xinhui-qu-2018-fengong', 'xinhui-qu-2018-fengong.noborder.pdf')));
    const [bytes] = mutate(original, caseSeed(23, 359)) as [Uint8Array, string];
    await expect(readPdf(bytes)).rejects.toMatchObject({ code: 'PDF_CORRUPT', message: expect.stringMatching(/^damaged PDF/) });
  });
});

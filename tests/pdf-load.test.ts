import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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

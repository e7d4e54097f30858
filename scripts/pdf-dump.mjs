#!/usr/bin/env node
// Debug: print the PDF reader's intermediate blocks (tables as grids).
// Usage: node scripts/pdf-dump.mjs file.pdf [--json] [--page N]
// Needs a build (npm run build) — imports dist/readers/pdf.js.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: node scripts/pdf-dump.mjs file.pdf [--json] [--page N]');
  process.exit(2);
}
const pageArg = args.indexOf('--page');
const onlyPage = pageArg >= 0 ? Number(args[pageArg + 1]) : null;
const modPath = process.env.PDF_READER_JS ?? path.join(here, '..', 'dist', 'readers', 'pdf.js');
const { readPdf } = await import(modPath);
const t0 = performance.now();
let doc;
try {
  doc = await readPdf(new Uint8Array(fs.readFileSync(file)));
} catch (e) {
  console.error(`${e.name}${e.code ? ' ' + e.code : ''}: ${e.message}`);
  process.exit(1);
}
const ms = performance.now() - t0;
if (args.includes('--json')) {
  console.log(JSON.stringify(doc, null, 1));
  process.exit(0);
}
console.log(`pages=${doc.pages} blocks=${doc.blocks.length} ${ms.toFixed(0)} ms`);
for (const w of doc.warnings) console.log(`warning ${w.code}: ${w.message}`);
for (const b of doc.blocks) {
  if (onlyPage !== null && b.page !== onlyPage) continue;
  if (b.kind !== 'table') {
    console.log(`[p${b.page}] ${b.kind}${b.kind === 'heading' ? b.level : ''}${b.align ? ' ' + b.align : ''}: ${b.text}`);
    continue;
  }
  console.log(`[p${b.page}] table ${b.rows}x${b.cols} origin=${b.origin}${b.pageBreakBefore ? ' pageBreakBefore=' + b.pageBreakBefore : ''}`);
  for (const c of [...b.cells].sort((p, q) => p.row - q.row || p.col - q.col)) {
    const span = c.rowSpan > 1 || c.colSpan > 1 ? ` span=${c.rowSpan}x${c.colSpan}` : '';
    console.log(`   r${c.row} c${c.col}${span}: ${c.text === '' ? '∅' : c.text.replace(/\n/g, '⏎')}`);
  }
}

/** Bad inputs for the batch / bad-input suites, generated small on disk. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { rng } from '../../scripts/fuzz.js';
import { ROOT } from './batch-cli.js';

export const CORPUS = path.join(ROOT, 'fixtures/corpus');
export const SEEDS = path.join(ROOT, 'fixtures/seeds');

export const corpusFile = (name: string) => {
  const stem = name.replace(/\..*$/, '');
  return path.join(CORPUS, stem, name);
};

const enc = (s: string) => new TextEncoder().encode(s);


export function randomBytesSeeded(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(r() * 256);
  return out;
}

/** A docx-looking zip whose document.xml is 20 MB of zeros compressed ~1000:1 (≈20 KB on disk). */
export function zipBombRatio(): Uint8Array {
  return zipSync(
    { '[Content_Types].xml': enc('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'), 'word/document.xml': new Uint8Array(20 * 1024 * 1024) },
    { level: 9 },
  );
}

/** A small docx whose central directory declares a 1 GB document.xml (the sizes lie; the data is tiny). */
export function zipBombDeclared(): Uint8Array {
  const z = zipSync({ '[Content_Types].xml': enc('<Types/>'), 'word/document.xml': enc('<w:document/>') });
  const d = Buffer.from(z);
  const GB = 1024 * 1024 * 1024;
  // Patch the uncompressed size in every central directory header (PK\1\2) and local header (PK\3\4).
  for (let i = 0; i + 4 <= d.length; i++) {
    const sig = d.readUInt32LE(i);
    if (sig === 0x02014b50) d.writeUInt32LE(GB, i + 24);
    else if (sig === 0x04034b50) d.writeUInt32LE(GB, i + 22);
  }
  return new Uint8Array(d);
}

/** A docx whose document.xml header declares fewer bytes than the entry inflates to (a lying zip). */
export function zipUnderDeclared(): Uint8Array {
  const body = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${'<w:p><w:r><w:t>政务公开</w:t></w:r></w:p>'.repeat(400)}</w:body></w:document>`;
  const z = zipSync({ '[Content_Types].xml': enc('<Types/>'), 'word/document.xml': enc(body) });
  const d = Buffer.from(z);
  for (let i = 0; i + 4 <= d.length; i++) {
    const sig = d.readUInt32LE(i);
    if (sig === 0x02014b50 && d.toString('latin1', i + 46, i + 46 + d.readUInt16LE(i + 28)) === 'word/document.xml') d.writeUInt32LE(100, i + 24);
    else if (sig === 0x04034b50 && d.toString('latin1', i + 30, i + 30 + d.readUInt16LE(i + 26)) === 'word/document.xml') d.writeUInt32LE(100, i + 22);
  }
  return new Uint8Array(d);
}

/** A zip of something else (a text file and an image-like blob), named .docx. */
export function zipOfSomethingElse(): Uint8Array {
  return zipSync({ 'readme.txt': enc('not a word document'), 'photo.jpg': randomBytesSeeded(512, 7) });
}

/** A PDF with an /Encrypt dictionary whose /U does not match the empty password: pdf.js asks for a password. */
export function encryptedPdf(): Uint8Array {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -44 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >>`,
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offs: number[] = [];
  objs.forEach((o, i) => {
    offs.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** The first `fraction` of a corpus PDF (like `head -c`). */
export function truncatedPdf(fraction = 0.3): Uint8Array {
  const full = readFileSync(corpusFile('xinhui-qu-2018-fengong.pdf'));
  return new Uint8Array(full.subarray(0, Math.floor(full.length * fraction)));
}

export { randomBytes };

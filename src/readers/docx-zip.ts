/**
 * Minimal, defensive zip access for docx: reads the central directory
 * (including zip64), checks the declared sizes of the entries we are about to
 * inflate against hard caps *before* inflating anything, and inflates single
 * entries with zlib capped at exactly the declared size (maxOutputLength), so
 * a lying size cannot make us allocate more. Node's zlib rather than a
 * JavaScript inflater: 3–8× faster on document.xml (60 µs against 500 µs for
 * a 147 KB part), most of a small plan's reading time.
 */
import { inflateRawSync } from 'node:zlib';
import { InputError } from '../model/document.js';

export interface ZipEntry {
  /** Name as stored, with `\` turned into `/` and leading `/` removed. */
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  /** Sum of declared uncompressed sizes of the entries we inflate. */
  maxInflateTotal: number;
  /** Max uncompressed:compressed ratio for entries above `ratioMinSize`. */
  maxRatio: number;
  ratioMinSize: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxInflateTotal: 200 * 1024 * 1024,
  maxRatio: 200,
  ratioMinSize: 1024 * 1024,
};

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

function corrupt(detail: string): InputError {
  return new InputError('CORRUPT', `corrupt docx: ${detail}`);
}

export class ZipArchive {
  readonly entries: ZipEntry[];
  private readonly byLowerName = new Map<string, ZipEntry>();

  constructor(private readonly data: Uint8Array) {
    this.entries = readCentralDirectory(data);
    for (const e of this.entries) {
      const k = e.name.toLowerCase();
      if (!this.byLowerName.has(k)) this.byLowerName.set(k, e);
    }
  }

  /** OPC part names are case-insensitive. */
  find(name: string): ZipEntry | undefined {
    return this.byLowerName.get(name.replace(/^\/+/, '').toLowerCase());
  }

  /**
   * Fails before inflating when the declared sizes of the entries we are
   * about to inflate exceed the caps. Entries we never inflate (pictures, a
   * damaged thumbnail entry) cannot hurt and are not held against the file.
   */
  checkLimits(wanted: ZipEntry[], limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
    let total = 0;
    for (const e of wanted) {
      total += e.size;
      if (e.size > limits.ratioMinSize && e.size > e.compressedSize * limits.maxRatio) {
        const ratio = e.compressedSize > 0 ? Math.round(e.size / e.compressedSize) : Infinity;
        throw new InputError(
          'ZIP_BOMB',
          `docx rejected: ${e.name} would unpack from ${e.compressedSize} bytes to ${MB(e.size)} (ratio ${ratio}:1, limit ${limits.maxRatio}:1); possible zip bomb`,
        );
      }
    }
    if (total > limits.maxInflateTotal) {
      throw new InputError(
        'ZIP_BOMB',
        `docx rejected: the document parts would unpack to ${MB(total)} (limit ${MB(limits.maxInflateTotal)}); possible zip bomb`,
      );
    }
  }

  read(entry: ZipEntry): Uint8Array {
    const d = this.data;
    const off = entry.localHeaderOffset;
    if (off + 30 > d.length || readU32(d, off) !== 0x04034b50) {
      throw corrupt(`${entry.name}: local file header missing (file truncated or damaged)`);
    }
    if (entry.flags & 0x1) {
      throw new InputError('ENCRYPTED', 'encrypted/password-protected docx is not supported (the zip entries are encrypted)');
    }
    const start = off + 30 + readU16(d, off + 26) + readU16(d, off + 28);
    const end = start + entry.compressedSize;
    if (end > d.length) throw corrupt(`${entry.name}: data runs past the end of the file (file truncated?)`);
    const raw = d.subarray(start, end);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) throw corrupt(`${entry.name}: stored entry has inconsistent sizes`);
      return raw;
    }
    if (entry.method !== 8) throw corrupt(`${entry.name}: unsupported zip compression method ${entry.method}`);
    let out: Uint8Array;
    try {
      // One output chunk of the declared size: zlib's default 16 KB chunks are joined at the end.
      out = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size), chunkSize: Math.max(64, Math.min(entry.size, 64 * 1024 * 1024)) });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ERR_BUFFER_TOO_LARGE') throw corrupt(`${entry.name}: unpacks to more than the ${entry.size} bytes its header declares`);
      throw corrupt(`cannot decompress ${entry.name} (${e.message})`);
    }
    if (out.length !== entry.size) throw corrupt(`${entry.name}: unpacked to ${out.length} bytes, expected ${entry.size}`);
    return out;
  }
}

function readU16(d: Uint8Array, o: number): number {
  return d[o] | (d[o + 1] << 8);
}
function readU32(d: Uint8Array, o: number): number {
  return (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
}
function readU64(d: Uint8Array, o: number): number {
  return readU32(d, o) + readU32(d, o + 4) * 0x100000000;
}

const utf8 = new TextDecoder('utf-8');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Entry names without the UTF-8 flag are in the archiver's code page: Chinese
 * zip tools write GBK. Try UTF-8 first (many tools omit the flag), then GB18030.
 */
function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  if (utf8Flag) return utf8.decode(bytes);
  // ASCII names (nearly all) read the same in every code page. Tested on the
  // decoded string rather than in a byte loop, which V8 would optimise
  // separately (~10 ms of TurboFan compile per batch worker).
  const s = latin1.decode(bytes);
  if (!NON_ASCII.test(s)) return s;
  try {
    return utf8Strict.decode(bytes);
  } catch {
    try {
      return new TextDecoder('gb18030').decode(bytes);
    } catch {
      return s;
    }
  }
}

function readCentralDirectory(d: Uint8Array): ZipEntry[] {
  if (d.length < 22) throw corrupt('file too short to be a zip archive');
  // End of central directory: last 22 bytes + up to 64 KB comment.
  let eocd = -1;
  const stop = Math.max(0, d.length - 22 - 0xffff);
  for (let i = d.length - 22; i >= stop; i--) {
    if (d[i] === 0x50 && d[i + 1] === 0x4b && d[i + 2] === 0x05 && d[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('zip central directory not found (file truncated or damaged)');
  let count = readU16(d, eocd + 10);
  let cdSize = readU32(d, eocd + 12);
  let cdOffset = readU32(d, eocd + 16);
  if (readU16(d, eocd + 4) !== 0 && readU16(d, eocd + 4) !== 0xffff) throw corrupt('multi-volume zip archives are not supported');
  // zip64 locator sits just before the EOCD record.
  if (eocd >= 20 && readU32(d, eocd - 20) === 0x07064b50) {
    const z = readU64(d, eocd - 12);
    if (z + 56 <= d.length && readU32(d, z) === 0x06064b50) {
      count = readU64(d, z + 32);
      cdSize = readU64(d, z + 40);
      cdOffset = readU64(d, z + 48);
    }
  }
  if (cdOffset + cdSize > d.length) {
    // Some writers prepend data (self-extractors); try to realign on the EOCD position.
    const shifted = eocd - cdSize;
    if (shifted >= 0 && readU32(d, shifted) === 0x02014b50) cdOffset = shifted;
    else throw corrupt('zip central directory lies outside the file (file truncated or damaged)');
  }
  const prefix = cdOffset !== readU32(d, eocd + 16) && readU32(d, eocd + 16) !== 0xffffffff ? cdOffset - readU32(d, eocd + 16) : 0;
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > d.length || readU32(d, p) !== 0x02014b50) throw corrupt('zip central directory is damaged');
    const flags = readU16(d, p + 8);
    const method = readU16(d, p + 10);
    let compressedSize = readU32(d, p + 20);
    let size = readU32(d, p + 24);
    const nameLen = readU16(d, p + 28);
    const extraLen = readU16(d, p + 30);
    const commentLen = readU16(d, p + 32);
    let localHeaderOffset = readU32(d, p + 42);
    const nameBytes = d.subarray(p + 46, p + 46 + nameLen);
    const name = decodeName(nameBytes, (flags & 0x800) !== 0);
    // zip64 extended information extra field
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = readU16(d, x);
      const len = readU16(d, x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (size === 0xffffffff && q + 8 <= x + 4 + len) { size = readU64(d, q); q += 8; }
        if (compressedSize === 0xffffffff && q + 8 <= x + 4 + len) { compressedSize = readU64(d, q); q += 8; }
        if (localHeaderOffset === 0xffffffff && q + 8 <= x + 4 + len) { localHeaderOffset = readU64(d, q); q += 8; }
      }
      x += 4 + len;
    }
    entries.push({
      name: name.replace(/\\/g, '/').replace(/^\/+/, ''),
      method,
      flags,
      compressedSize,
      size,
      localHeaderOffset: localHeaderOffset + prefix,
    });
    p = xEnd + commentLen;
  }
  return entries;
}

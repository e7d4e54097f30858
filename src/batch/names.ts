/**
 * Output names for batch mode. Every output path is built from the input's
 * path relative to the batch folder, sanitised segment by segment, and then
 * checked to lie inside the output folder — nothing an archive contains can
 * make gov-plan write elsewhere.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** Characters Windows forbids in names, plus `/` and `\` which separate paths. */
const ILLEGAL = /[<>:"/\\|?*]/g;
/** C0/C1 controls, bidi overrides/isolates, zero-width and BOM, lone surrogates, non-characters. */
const ODD = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff0-\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Bytes; most file systems cap a name at 255 bytes. Leave room for ".json", "~99" and temp suffixes. */
const MAX_SEGMENT_BYTES = 200;

/** One path segment → a name that is legal on Linux, macOS and Windows and cannot mean "up" or "here". */
export function sanitizeSegment(seg: string): string {
  let s = seg.normalize('NFC').replace(ODD, '_').replace(ILLEGAL, '_');
  // Windows strips trailing dots and spaces, so "a." and "a" would collide there; ".." must never survive.
  s = s.replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  if (s === '') s = '_';
  if (RESERVED.test(s)) s = `_${s}`;
  if (Buffer.byteLength(s, 'utf8') > MAX_SEGMENT_BYTES) {
    const hash = createHash('sha1').update(seg).digest('hex').slice(0, 10);
    const ext = path.extname(s).slice(0, 16);
    let base = s.slice(0, s.length - ext.length);
    while (Buffer.byteLength(`${base}~${hash}${ext}`, 'utf8') > MAX_SEGMENT_BYTES) base = Array.from(base).slice(0, -1).join('');
    s = `${base}~${hash}${ext}`;
  }
  return s;
}

/**
 * A relative input path (any separators, possibly hostile) → safe relative
 * output path segments. Absolute prefixes, drive letters, `.` and `..` are
 * neutralised, never resolved.
 */
export function sanitizeRelPath(rel: string): string[] {
  const parts = rel.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  const out = parts.map((p) => (p === '..' ? '__' : sanitizeSegment(p)));
  return out.length ? out : ['_'];
}

export class OutputEscapeError extends Error {}

/** `<outdir>/<safe rel>.<ext>`, verified to be inside `outdir`. */
export function outputPathFor(outDir: string, rel: string, ext: string, suffix = ''): string {
  const root = path.resolve(outDir);
  const segs = sanitizeRelPath(rel);
  segs[segs.length - 1] = `${segs[segs.length - 1]}${suffix}.${ext}`;
  const full = path.resolve(root, ...segs);
  assertInside(root, full);
  return full;
}

export function assertInside(root: string, full: string): void {
  const r = path.resolve(root);
  const rel = path.relative(r, path.resolve(full));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new OutputEscapeError(`refusing to write outside the output folder: ${full}`);
  }
}

/**
 * Assigns output paths for a batch, making them unique (two inputs can
 * sanitise to the same name, e.g. NFC and NFD forms of one name, or `a:b`
 * and `a_b`) and keeping clear of the batch's own files.
 */
export class OutputNamer {
  private readonly taken = new Set<string>();
  constructor(
    private readonly outDir: string,
    private readonly ext: string,
    reserved: string[] = [],
  ) {
    for (const r of reserved) this.taken.add(key(path.resolve(outDir, r)));
  }

  assign(rel: string): string {
    for (let n = 1; ; n++) {
      const p = outputPathFor(this.outDir, rel, this.ext, n === 1 ? '' : `~${n}`);
      if (!this.taken.has(key(p))) {
        this.taken.add(key(p));
        return p;
      }
    }
  }
}

/** Case-folded so outputs stay distinct on case-insensitive file systems too. */
function key(p: string): string {
  return p.normalize('NFC').toLowerCase();
}

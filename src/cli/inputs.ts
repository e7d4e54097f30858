import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError, type SourceFormat } from '../model/document.js';
import { sniffFormat } from '../readers/sniff.js';

/**
 * Largest input gov-plan reads (200 MiB, as `batch --max-bytes`). Keeps
 * memory bounded on junk; real plans are a few MB at most.
 */
export const MAX_INPUT_BYTES = 200 * 1024 * 1024;

/**
 * Largest txt/html input (32 MiB, as `batch --max-text-bytes`): text plans are
 * tens of KB, and layout recovery on a 100 MB dump would only burn memory.
 */
export const MAX_TEXT_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Refuses a txt/html input (by --from, else by its bytes) over the text
 * limit. Binary formats keep MAX_INPUT_BYTES; unreadable bytes are left for
 * convert() to report.
 */
export function checkTextSize(bytes: Uint8Array, from: SourceFormat | undefined, max: number = MAX_TEXT_INPUT_BYTES): void {
  if (bytes.length <= max) return;
  let format: SourceFormat | undefined = from;
  if (format === undefined) {
    try {
      format = sniffFormat(bytes);
    } catch {
      return;
    }
  }
  if (format === 'txt' || format === 'html') {
    throw new InputError('FILE_TOO_LARGE', `${format} file too large (${mb(bytes.length)} MB; the limit for text inputs is ${mb(max)} MB)`);
  }
}

export interface ReadInputOptions {
  /** Stream used for "-" (default process.stdin). */
  stdin?: Readable;
  maxBytes?: number;
}

/**
 * Reads one input completely: a file path, or "-" for standard input.
 * Throws InputError (directory, too large, empty) or a Node errno error
 * (ENOENT, EACCES …) — both are described by errors.ts.
 */
export async function readInput(path: string, opts: ReadInputOptions = {}): Promise<Uint8Array> {
  const max = opts.maxBytes ?? MAX_INPUT_BYTES;
  if (path === '-') return readStream(opts.stdin ?? process.stdin, max);
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new InputError('IS_DIRECTORY', 'is a directory, not a file');
    if (st.isFile()) {
      if (st.size > max) throw tooLarge(st.size, max);
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < st.size) {
        const { bytesRead } = await fh.read(buf, off, st.size - off, off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      return buf.subarray(0, off);
    }
    // A pipe, FIFO or character device (e.g. /dev/stdin, <(…)): read as a stream.
    return await readStream(fh.createReadStream({ autoClose: false }), max);
  } finally {
    await fh.close();
  }
}

/** Reads a whole stream, failing as soon as it grows past `max` bytes. */
export async function readStream(stream: Readable, max: number = MAX_INPUT_BYTES): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > max) {
      stream.destroy();
      throw tooLarge(total, max, true);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Paths listed in a --files-from file ("-" = standard input): one path per
 * line; a trailing CR is removed and blank lines are skipped; nothing else
 * is interpreted, so names may contain spaces.
 */
export async function readFileList(path: string, opts: ReadInputOptions = {}): Promise<string[]> {
  const bytes = await readInput(path, opts);
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
}

function mb(n: number): string {
  return (n / (1024 * 1024)).toFixed(1);
}

function tooLarge(size: number, max: number, atLeast = false): InputError {
  return new InputError(
    'FILE_TOO_LARGE',
    `file too large (${atLeast ? 'more than ' : ''}${mb(size)} MB; the limit is ${mb(max)} MB)`,
  );
}

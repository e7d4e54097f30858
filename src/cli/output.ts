import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Where a command's result goes. Pieces are written as they are ready;
 * `commit()` makes the output final, `abort()` discards it (for a file: the
 * target is left untouched).
 */
export interface OutputSink {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Standard output, honouring back-pressure; a closed pipe (EPIPE, `| head`) ends writing quietly. */
export function streamSink(stream: Writable): OutputSink {
  let broken = false;
  let failure: Error | undefined;
  const onError = (err: NodeJS.ErrnoException) => {
    broken = true;
    // A reader that went away is not an error; anything else fails the next write.
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') failure = err;
  };
  stream.on('error', onError);
  const detach = () => {
    stream.off('error', onError);
  };
  return {
    write(text) {
      if (failure) return Promise.reject(failure);
      if (broken || text === '') return Promise.resolve();
      return new Promise<void>((resolve) => {
        if (stream.write(text)) return resolve();
        const done = () => {
          stream.off('drain', done);
          stream.off('close', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
      });
    },
    async commit() {
      detach();
      if (failure) throw failure;
    },
    async abort() {
      detach();
    },
  };
}

/**
 * A file written atomically: everything goes to a temporary file next to the
 * target, renamed over it on commit, so readers never see half a file and a
 * failed run leaves an existing file as it was.
 */
export async function fileSink(path: string): Promise<OutputSink> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh: FileHandle = await open(tmp, 'wx', 0o644);
  let closed = false;
  const close = async () => {
    if (!closed) {
      closed = true;
      await fh.close();
    }
  };
  return {
    async write(text) {
      if (text !== '') await fh.writeFile(text, 'utf8');
    },
    async commit() {
      await close();
      await rename(tmp, path);
    },
    async abort() {
      await close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    },
  };
}

/** `-o <file>` → a file sink, else the given stream (stdout). */
export async function openOutput(out: string | undefined, stdout: Writable): Promise<OutputSink> {
  return out === undefined || out === '-' ? streamSink(stdout) : fileSink(out);
}

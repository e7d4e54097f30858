import { InputError } from '../model/document.js';

/** A command-line usage problem (exit 2): bad combination of arguments, no inputs, … */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** How a path is named in messages: standard input is "<stdin>". */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a component of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EEXIST: 'file already exists',
};

export interface DescribedError {
  /** One-line, user-facing reason. */
  reason: string;
  /** True when the error is not the input's fault: a bug in gov-plan. */
  internal: boolean;
}

/** Turns any thrown value into a one-line reason, telling user errors from bugs. */
export function describeError(err: unknown): DescribedError {
  if (err instanceof InputError) return { reason: oneLine(err.message), internal: false };
  if (isErrno(err) && err.code && ERRNO_REASONS[err.code]) return { reason: ERRNO_REASONS[err.code], internal: false };
  if (isErrno(err) && err.code && err.syscall) return { reason: `${err.code}: ${oneLine(err.message)}`, internal: false };
  const message = err instanceof Error ? err.message : String(err);
  return { reason: `internal error: ${oneLine(message)}`, internal: true };
}

/**
 * The line printed for a failed file: `gov-plan: <file>: [<doing>: ]<reason>`, plus the
 * stack trace when `debug` is on (or a hint to use --debug for internal errors).
 */
export function formatFileError(file: string | null, err: unknown, debug: boolean, doing?: string): string {
  const { reason, internal } = describeError(err);
  let out = `gov-plan: ${file === null ? '' : displayName(file) + ': '}${doing ? doing + ': ' : ''}${reason}`;
  if (internal && !debug) out += ' (this is a bug in gov-plan; rerun with --debug for the stack trace)';
  out += '\n';
  if (debug && err instanceof Error && err.stack) out += err.stack + '\n';
  return out;
}

function isErrno(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * One short reason for a failed file-system call. Its own module so that the
 * worker, which reports read and write failures, does not load the walk's
 * glob matcher.
 */
export function ioReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file (removed during the batch?)';
    case 'ELOOP':
      return 'too many levels of symbolic links (symlink loop)';
    case 'EISDIR':
      return 'is a directory';
    case 'ENAMETOOLONG':
      return 'name too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'I/O error reading the file';
    default:
      return e?.code ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e);
  }
}

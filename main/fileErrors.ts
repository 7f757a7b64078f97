// What went wrong with a file, in words, from the error Node gave (`ENOENT`...): one wording for the
// command line, the store and the window's import alike.

/** Why a file cannot be read or written, in words; null when Node's error is none of the usual ones. */
export function fileErrorReason(error: unknown): string | null {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  switch (code) {
    case 'ENOENT': return 'no such file or folder';
    case 'ENOTDIR': return 'part of its path is not a folder';
    case 'EISDIR': return 'it is a folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the disk is read-only';
    case 'ENOSPC': return 'the disk is full';
    case 'EDQUOT': return 'the disk quota is used up';
    case 'EIO': return 'the device failed';
    default: return null;
  }
}

/** The reason in words, else Node's own message: never a bare code. */
export function fileErrorText(error: unknown): string {
  return fileErrorReason(error) ?? (error instanceof Error ? error.message : String(error));
}

/**
 * File-system errors in words. Node's messages carry the errno name and the syscall
 * ("EROFS: read-only file system, open '/x/.y.tmp'"), which names a temporary file the user never
 * asked for; these say what happened to the operation instead.
 */

/** The errno code of a Node fs error, or '' when there is none. */
export function errnoCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : '';
}

/** What went wrong, in words, for an fs error met while trying to `action` (e.g. "read", "write"). */
export function describeFsError(error: unknown, action: string): string {
  switch (errnoCode(error)) {
    case 'ENOENT':
      return action === 'read' ? 'no such file' : 'no such directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (cannot ${action})`;
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return `read-only file system (cannot ${action})`;
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EFBIG':
      return 'file too large for the file system';
    case 'EIO':
      return `input/output error (cannot ${action}; the device may be failing)`;
    case 'ENAMETOOLONG':
      return 'file name too long';
    default:
      return `cannot ${action}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

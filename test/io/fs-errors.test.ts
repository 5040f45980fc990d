import { describe, expect, it } from 'vitest';
import { describeFsError } from '../../src/io/fs-errors.js';

const errno = (code: string) => Object.assign(new Error(`${code}: raw text, open '/x/.y.123.tmp'`), { code });

describe('describeFsError', () => {
  it('says what happened in words, not errno text or a temporary file name', () => {
    expect(describeFsError(errno('EROFS'), 'write')).toBe('read-only file system (cannot write)');
    expect(describeFsError(errno('ENOSPC'), 'write')).toBe('no space left on the device');
    expect(describeFsError(errno('EDQUOT'), 'write')).toBe('disk quota exceeded');
    expect(describeFsError(errno('EACCES'), 'read')).toBe('permission denied (cannot read)');
    expect(describeFsError(errno('ENOENT'), 'read')).toBe('no such file');
    expect(describeFsError(errno('EMFILE'), 'read')).toBe('too many open files');
  });

  it('keeps the message of an error it has no words for', () => {
    expect(describeFsError(errno('EWEIRD'), 'write')).toBe("cannot write: EWEIRD: raw text, open '/x/.y.123.tmp'");
  });
});

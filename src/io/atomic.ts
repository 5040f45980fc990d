/** Writing a file so that readers see either the old content or the new, never a partial file. */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFsError, errnoCode } from './fs-errors.js';

/** A failed atomic write: one line in words naming the file, with the errno `code` of the cause kept. */
export class FileWriteError extends Error {
  readonly code: string;

  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot write ${path}: ${describeFsError(cause, 'write')}`, { cause });
    this.name = 'FileWriteError';
    this.code = errnoCode(cause);
  }
}

/**
 * Writes `bytes` to `path` atomically: into a temporary file in the same directory (so the rename
 * stays on one filesystem), fsync'd, then renamed over `path`. On any failure the temporary file is
 * removed and `path` keeps its previous content, and a `FileWriteError` says what failed in words
 * (naming `path`, not the temporary file Node's message would name).
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temp, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new FileWriteError(path, error);
  }
}

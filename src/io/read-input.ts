/**
 * Reading an input file with bounds, so that a careless or hostile path cannot hang or exhaust the
 * process: only regular files are read (a FIFO would block, /dev/zero never ends, a directory is not
 * an image), the file's size is capped before anything is read, and the first bytes are checked
 * before the rest is, so a large file of the wrong kind costs one small read.
 */
import { constants } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { ImageFileError } from './errors.js';
import { describeFsError } from './fs-errors.js';

/**
 * Default cap on an input file's size: 1 GiB. A ChestX-ray8 PNG is about 0.5 MB and a large DICOM
 * some tens of MB; the largest image the decoder accepts (2^28 pixels) as 16-bit gray needs 512 MiB
 * stored uncompressed.
 */
export const DEFAULT_MAX_FILE_BYTES = 2 ** 30;
/** Enough for every signature the readers check (PNG 8 bytes, .npy 6, DICOM's "DICM" at 128). */
export const HEAD_BYTES = 132;

export interface ReadInputOptions {
  /** Refuse files larger than this many bytes (default `DEFAULT_MAX_FILE_BYTES`). */
  maxBytes?: number;
  /**
   * Called with the file's first bytes (up to `HEAD_BYTES`) before the rest is read; throws when they
   * show the file cannot be what the caller reads.
   */
  checkHead?: (head: Uint8Array) => void | Promise<void>;
}

/** The whole content of the regular file at `path`, within the bounds above; failures are `ImageFileError`s. */
export async function readInputFile(path: string, options: ReadInputOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!(Number.isInteger(maxBytes) && maxBytes > 0)) throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  // stat first: opening a FIFO for reading would block until a writer comes.
  const info = await stat(path).catch((error: unknown) => {
    throw new ImageFileError(path, describeFsError(error, 'read'), { cause: error });
  });
  checkRegular(path, info);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: should the path become a FIFO between stat and open, the open still returns.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new ImageFileError(path, describeFsError(error, 'read'), { cause: error });
  }
  try {
    const opened = await handle.stat();
    checkRegular(path, opened);
    const size = opened.size;
    // The kind first: a large file of the wrong kind is better told by what it is than by its size.
    const head = new Uint8Array(Math.min(HEAD_BYTES, size));
    const headLength = await readFully(handle, head, 0, head.length, path);
    await options.checkHead?.(head.subarray(0, headLength));
    if (size > maxBytes) {
      throw new ImageFileError(path, `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} input limit (--max-file-size)`);
    }
    const bytes = new Uint8Array(size);
    bytes.set(head.subarray(0, headLength));
    const total = headLength + (await readFully(handle, bytes, headLength, size - headLength, path));
    // A file that shrank while being read: what is there is what it holds.
    return total === size ? bytes : bytes.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** "1.5 GiB", "512 MiB", "900 B": sizes in messages. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function checkRegular(path: string, info: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): void {
  if (info.isFile()) return;
  if (info.isDirectory()) throw new ImageFileError(path, 'is a directory');
  const kind = info.isFIFO() ? 'a FIFO (named pipe)' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : info.isSocket() ? 'a socket' : 'not a regular file';
  throw new ImageFileError(path, `is ${kind}; only regular files are read`);
}

/** Reads `length` bytes at `offset` into `bytes` (from the file's current position); returns how many came. */
async function readFully(handle: FileHandle, bytes: Uint8Array, offset: number, length: number, path: string): Promise<number> {
  let done = 0;
  try {
    while (done < length) {
      const { bytesRead } = await handle.read(bytes, offset + done, length - done, null);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
  } catch (error) {
    throw new ImageFileError(path, describeFsError(error, 'read'), { cause: error });
  }
  return done;
}

/** .npy files on disk (Node only): thin wrappers over the byte codec in npy.ts. */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { PixelArray } from '../image.js';
import { type NpyArray, decodeNpy, encodeNpy } from './npy.js';

/** Reads and decodes a .npy file; errors name the path. */
export async function readNpyFile(path: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`cannot read ${path}`, { cause: error });
  }
  return decodeNpy(bytes, path);
}

/**
 * Writes a C-order array as .npy, atomically: the bytes go to a temporary file next to `path`,
 * which is then renamed over it, so a reader never sees a half-written file.
 */
export async function writeNpyFile(path: string, shape: readonly number[], data: PixelArray): Promise<void> {
  const bytes = encodeNpy(shape, data);
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`cannot write ${path}`, { cause: error });
  }
}

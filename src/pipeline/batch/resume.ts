/**
 * Resume: an image is complete when every one of its expected outputs exists and is whole. Outputs
 * are written to a temporary name and renamed, so a file under its final name was written fully; the
 * structural check below also catches files a crash truncated (a rename can reach the disk before the
 * data on some filesystems) or that someone else left there:
 *   png: the 8-byte signature, and the file ends with the IEND chunk (PNG spec 11.2.5)
 *   npy: the magic, a header naming a little-endian float32 C-order shape, and exactly the data bytes
 *        that shape needs
 * Only the first and last bytes are read, so checking a 112,120-image tree costs little.
 */
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import type { OutputRecord } from './manifest.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** An IEND chunk: length 0, type "IEND", CRC 0xAE426082. */
const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
/** Our .npy headers are 118 bytes; NumPy's stay far below this for 2-D arrays. */
const NPY_HEADER_READ = 4096;
const GIF_HEADER = Buffer.from('GIF89a', 'latin1');

/** The kinds of file a batch writes, by extension. */
export type OutputKind = 'png' | 'npy' | 'gif' | 'json';

/** Whether the file at `file` is a complete output of its kind (false if missing or unreadable). */
export async function isCompleteOutput(file: string, kind: OutputKind = kindOf(file)): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return false;
  }
  try {
    const { size } = await handle.stat();
    switch (kind) {
      case 'png':
        return (
          size >= PNG_SIGNATURE.length + PNG_IEND.length &&
          (await readAt(handle, 0, PNG_SIGNATURE.length)).equals(PNG_SIGNATURE) &&
          (await readAt(handle, size - PNG_IEND.length, PNG_IEND.length)).equals(PNG_IEND)
        );
      case 'npy':
        return isWholeFloat32Npy(await readAt(handle, 0, Math.min(size, NPY_HEADER_READ)), size);
      case 'gif':
        // GIF89a header and the trailer byte 0x3B (GIF89a spec, section 27).
        return (
          size > GIF_HEADER.length + 1 &&
          (await readAt(handle, 0, GIF_HEADER.length)).equals(GIF_HEADER) &&
          (await readAt(handle, size - 1, 1))[0] === 0x3b
        );
      case 'json':
        try {
          JSON.parse((await readAt(handle, 0, size)).toString('utf8'));
          return true;
        } catch {
          return false;
        }
    }
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * The records of `relativePaths` (relative to `outputDir`) if every one is complete, else undefined:
 * one missing or broken output means the image is done again.
 */
export async function completeOutputs(outputDir: string, relativePaths: readonly string[]): Promise<OutputRecord[] | undefined> {
  const records: OutputRecord[] = [];
  for (const relative of relativePaths) {
    const file = path.join(outputDir, relative);
    if (!(await isCompleteOutput(file))) return undefined;
    const handle = await open(file, 'r');
    try {
      records.push({ path: relative, bytes: (await handle.stat()).size });
    } finally {
      await handle.close();
    }
  }
  return records;
}

/** The output kind of a file name (its extension); other extensions are an error. */
export function kindOf(file: string): OutputKind {
  const extension = path.extname(file).slice(1).toLowerCase();
  if (extension === 'png' || extension === 'npy' || extension === 'gif' || extension === 'json') return extension;
  throw new RangeError(`not a batch output kind (png, npy, gif, json): ${file}`);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** NPY format 1.0/2.0 (numpy/lib/format.py): magic, version, header length, dict, data. */
function isWholeFloat32Npy(head: Buffer, size: number): boolean {
  if (head.length < 10 || !head.subarray(0, NPY_MAGIC.length).equals(NPY_MAGIC)) return false;
  const major = head[6];
  const headerStart = major === 1 ? 10 : major === 2 ? 12 : -1;
  if (headerStart < 0 || head.length < headerStart) return false;
  const headerLength = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  const dataStart = headerStart + headerLength;
  if (dataStart > head.length) return false;
  const header = head.subarray(headerStart, dataStart).toString('latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== '<f4' || fortran !== 'False' || shape === undefined) return false;
  const extents = shape.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (extents.length === 0 || extents.some((e) => !Number.isInteger(e) || e < 0)) return false;
  return size === dataStart + 4 * extents.reduce((a, b) => a * b, 1);
}

/**
 * One shard: a NumPy array (n, H, W) in C order written row by row as images finish, then renamed
 * into place whole. The data goes straight to a temporary file at each image's planned row, so a
 * shard of 4096 images at 1024x1024 never sits in memory. The header is written last: until then the
 * number of rows is not known (an image that fails leaves no row), so the preamble reserves room for
 * the largest header the shard may need, and the rows of failed images are closed up before the rename.
 *
 * The temporary name is writeFileAtomic's (`.<name>.<pid>.<hex>.tmp`), so batch's sweepTempFiles
 * removes what a killed run leaves.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { encodeNpyHeader } from '../../io/npy.js';
import type { ShardDtype } from './settings.js';


const DESCR: Record<ShardDtype, string> = { uint8: '|u1', float16: '<f2', float32: '<f4' };
export const BYTES_PER_VALUE: Record<ShardDtype, number> = { uint8: 1, float16: 2, float32: 4 };

// Rows are written as the host's typed-array bytes; .npy here says little-endian.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('prepare writes little-endian .npy shards and needs a little-endian host');

export interface ShardGeometry {
  dtype: ShardDtype;
  height: number;
  width: number;
}

export class ShardFileWriter {
  private readonly rowBytes: number;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
    private readonly geometry: ShardGeometry,
    private readonly capacity: number,
    private readonly headerLength: number,
  ) {
    this.rowBytes = geometry.height * geometry.width * BYTES_PER_VALUE[geometry.dtype];
  }

  /** Starts the shard `file` with room for `capacity` rows. */
  static async create(file: string, geometry: ShardGeometry, capacity: number): Promise<ShardFileWriter> {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a shard needs room for at least 1 row, got ${capacity}`);
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const header = encodeNpyHeader(DESCR[geometry.dtype], [capacity, geometry.height, geometry.width]);
    // Read too: closing up the rows of failed images reads rows back.
    const handle = await open(temp, 'wx+');
    try {
      await handle.write(header, 0, header.length, 0);
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    return new ShardFileWriter(file, temp, handle, geometry, capacity, header.length);
  }

  /** Writes the image planned for row `slot` (its bytes in the shard's dtype). */
  async writeRow(slot: number, bytes: Uint8Array): Promise<void> {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.capacity) throw new RangeError(`row ${slot} is outside the shard's ${this.capacity} rows`);
    if (bytes.length !== this.rowBytes) throw new RangeError(`a row of ${this.file} holds ${this.rowBytes} bytes, got ${bytes.length}`);
    await this.handle.write(bytes, 0, bytes.length, this.headerLength + slot * this.rowBytes);
  }

  /**
   * Closes up the rows of `kept` (the planned slots that hold an image, ascending) so they become rows
   * 0..kept.length-1, writes the final header, syncs and renames the shard into place.
   */
  async finish(kept: readonly number[]): Promise<void> {
    try {
      const buffer = new Uint8Array(this.rowBytes);
      for (let row = 0; row < kept.length; row++) {
        const slot = kept[row];
        if (slot < row || (row > 0 && slot <= kept[row - 1])) throw new RangeError(`kept slots must ascend, got [${kept.join(', ')}]`);
        if (slot === row) continue;
        await this.handle.read(buffer, 0, this.rowBytes, this.headerLength + slot * this.rowBytes);
        await this.handle.write(buffer, 0, this.rowBytes, this.headerLength + row * this.rowBytes);
      }
      const { dtype, height, width } = this.geometry;
      const header = encodeNpyHeader(DESCR[dtype], [kept.length, height, width], this.headerLength);
      if (header.length !== this.headerLength) throw new Error(`shard header grew from ${this.headerLength} to ${header.length} bytes`);
      await this.handle.write(header, 0, header.length, 0);
      await this.handle.truncate(this.headerLength + kept.length * this.rowBytes);
      await this.handle.sync();
      await this.close();
      await rename(this.temp, this.file);
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** Drops the shard: the temporary file is removed, the final name untouched. */
  async abort(): Promise<void> {
    await this.close();
    await rm(this.temp, { force: true });
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/**
 * The number of rows of a complete shard at `file` with this geometry, or undefined when it is
 * missing, of another dtype or size, or not exactly as long as its header says (a torn file).
 */
export async function completeShardRows(file: string, geometry: ShardGeometry): Promise<number | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    if (head.length < 10 || head.toString('latin1', 0, 6) !== '\x93NUMPY' || head[6] !== 1) return undefined;
    const dataStart = 10 + head.readUInt16LE(8);
    if (dataStart > head.length) return undefined;
    const dict = head.toString('latin1', 10, dataStart);
    const descr = /'descr'\s*:\s*'([^']*)'/.exec(dict)?.[1];
    const shape = /'shape'\s*:\s*\((\d+), (\d+), (\d+)\)/.exec(dict);
    if (descr !== DESCR[geometry.dtype] || !/'fortran_order'\s*:\s*False/.test(dict) || !shape) return undefined;
    const [rows, height, width] = [Number(shape[1]), Number(shape[2]), Number(shape[3])];
    if (height !== geometry.height || width !== geometry.width) return undefined;
    return size === dataStart + rows * height * width * BYTES_PER_VALUE[geometry.dtype] ? rows : undefined;
  } finally {
    await handle.close();
  }
}

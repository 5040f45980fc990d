/** Reads a prepare shard (.npy of uint8, float16 or float32) for tests: shape, descr and values. */
import { readFile } from 'node:fs/promises';
import { float16Value } from '../../src/pipeline/prepare/float16.js';

export interface Shard {
  descr: string;
  shape: number[];
  /** Values as numbers (float16 decoded exactly). */
  values: Float64Array;
  /** The raw data bytes after the header. */
  data: Uint8Array;
}

export async function readShard(file: string): Promise<Shard> {
  const bytes = new Uint8Array(await readFile(file));
  const headerLength = bytes[8] | (bytes[9] << 8);
  const header = Buffer.from(bytes.subarray(10, 10 + headerLength)).toString('latin1');
  const descr = /'descr': '([^']*)'/.exec(header)?.[1] ?? '';
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const data = bytes.slice(10 + headerLength);
  const count = shape.reduce((a, b) => a * b, 1);
  const view = new DataView(data.buffer);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = descr === '|u1' ? data[i] : descr === '<f2' ? float16Value(view.getUint16(2 * i, true)) : view.getFloat32(4 * i, true);
  }
  if ((10 + headerLength) % 64 !== 0) throw new Error(`${file}: data does not start on a 64-byte boundary`);
  return { descr, shape, values, data };
}

/**
 * Program `pack` (shaders/pack.wgsl): a float32 plane min-max scaled to 8 bits on the GPU, four
 * pixels per word, so an 8-bit output reads back a quarter of the bytes.
 */
import { linearGrid, type Recording } from '../recording.js';

const PIXELS_PER_INVOCATION = 16;

/** Records the range reduction and the packing of `plane`; returns the packed buffer (ceil(count / 4) words). */
export function recordPackUint8(rec: Recording, plane: GPUBuffer, count: number, what: string): GPUBuffer {
  const uniform = rec.uniform(new Uint32Array([count, 0, 0, 0]).buffer, `${what} params`);
  const rangeKeys = rec.upload(new Uint32Array([0xffffffff, 0]), `${what} range`);
  const words = Math.ceil(count / 4);
  const packed = rec.plane(words, `${what} packed`);
  rec.pin(packed);
  rec.dispatch('pack', 'minmax_keys', [uniform, plane, rangeKeys],
    linearGrid(Math.ceil(count / PIXELS_PER_INVOCATION), rec.maxWorkgroupsPerDimension), `${what} range`);
  rec.dispatch('pack', 'pack_u8', [uniform, plane, rangeKeys, packed], linearGrid(words, rec.maxWorkgroupsPerDimension), what);
  return packed;
}

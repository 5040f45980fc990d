/**
 * Program `resize` (shaders/resize.wgsl): the per-axis tables of ../../filters/resize.ts applied
 * as two passes, rows then columns, in float32.
 */
import type { AxisTable } from '../../filters/resize.js';
import { type Recording, linearGrid } from '../recording.js';

export interface ResizeClip {
  lo: number;
  hi: number;
}

/**
 * Records the resize of `src` (an inWidth-wide float32 plane) by `rows` and `columns`; returns the
 * output plane (columns.outLength x rows.outLength), pinned until the submit completes. `clip`
 * clamps the result (skimage's clip to the input range).
 */
export function recordResize(
  rec: Recording, src: GPUBuffer, inWidth: number, rows: AxisTable, columns: AxisTable, clip: ResizeClip | null, what: string,
): GPUBuffer {
  const outHeight = rows.outLength;
  const outWidth = columns.outLength;
  const params = new ArrayBuffer(32);
  new Uint32Array(params, 0, 4).set([inWidth, outWidth, outHeight, clip ? 1 : 0]);
  new Float32Array(params, 16, 2).set([clip?.lo ?? 0, clip?.hi ?? 0]);
  const uniform = rec.uniform(params, `${what} params`);
  const tmp = rec.plane(outHeight * inWidth, `${what} rows pass`);
  const dst = rec.plane(outHeight * outWidth, `${what} output`);
  rec.pin(tmp);
  rec.pin(dst);
  const [rowOffsets, rowTaps, rowWeights] = uploadTable(rec, rows, `${what} row table`);
  rec.dispatch('resize', 'resize_rows', [uniform, src, tmp, rowOffsets, rowTaps, rowWeights],
    linearGrid(outHeight * inWidth, rec.maxWorkgroupsPerDimension), `${what} rows`);
  const [columnOffsets, columnTaps, columnWeights] = uploadTable(rec, columns, `${what} column table`);
  rec.dispatch('resize', 'resize_columns', [uniform, tmp, dst, columnOffsets, columnTaps, columnWeights],
    linearGrid(outHeight * outWidth, rec.maxWorkgroupsPerDimension), `${what} columns`);
  return dst;
}

function uploadTable(rec: Recording, table: AxisTable, what: string): [GPUBuffer, GPUBuffer, GPUBuffer] {
  return [
    rec.upload(Uint32Array.from(table.offset), `${what} offsets`),
    rec.upload(Uint32Array.from(table.index), `${what} taps`),
    rec.upload(Float32Array.from(table.weight), `${what} weights`),
  ];
}

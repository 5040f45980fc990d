/**
 * Program `clahe` (shaders/clahe.wgsl): per-tile histograms with workgroup atomics, clipping and
 * mapping (one workgroup per tile), the interpolated blend with the level range reduction, and the
 * rescale to 8-bit levels.
 */
import type { ClaheGeometry } from '../../filters/clahe.js';
import { type Recording, linearGrid } from '../recording.js';

/** Bins one workgroup histogram holds (MAX_BINS in shaders/clahe.wgsl). */
export const GPU_CLAHE_MAX_BINS = 4096;

/**
 * Records CLAHE of the 8-bit pixels in `packed` (four per word) with the per-level `bins` table
 * (from the host, or already on the GPU); returns a float32 plane of levels 0..255, pinned until
 * the submit completes.
 */
export function recordClahe(rec: Recording, packed: GPUBuffer, g: ClaheGeometry, bins: Uint32Array | GPUBuffer, what: string): GPUBuffer {
  if (g.nbins > GPU_CLAHE_MAX_BINS) {
    throw new RangeError(`clahe on the gpu takes nbins up to ${GPU_CLAHE_MAX_BINS} (one workgroup histogram), got ${g.nbins}`);
  }
  const count = g.width * g.height;
  const params = new Uint32Array([
    g.width, g.height, g.kernel[0], g.kernel[1], g.tilesX, g.tilesY, g.nbins, g.clipCount, g.tilePixels, 0, 0, 0,
  ]);
  const uniform = rec.uniform(params.buffer, `${what} params`);
  const binOf = bins instanceof Uint32Array ? rec.upload(bins, `${what} bin table`) : bins;
  // Both are written in full before they are read: planes from the pool, no upload.
  const maps = rec.plane(g.tilesX * g.tilesY * g.nbins, `${what} tile maps`);
  const levels = rec.plane(count, `${what} levels`);
  rec.pin(maps);
  rec.pin(levels);
  const range = rec.upload(new Uint32Array([0xffffffff, 0]), `${what} level range`);
  const dst = rec.plane(count, `${what} output`);
  rec.pin(dst);
  rec.dispatch('clahe', 'clahe_tiles', [uniform, packed, binOf, maps], [g.tilesX, g.tilesY], `${what} tiles`);
  const grid = linearGrid(count, rec.maxWorkgroupsPerDimension);
  rec.dispatch('clahe', 'clahe_blend', [uniform, packed, binOf, maps, levels, range], grid, `${what} blend`);
  rec.dispatch('clahe', 'clahe_rescale', [uniform, undefined, undefined, undefined, levels, range, dst], grid, `${what} rescale`);
  return dst;
}

/**
 * Program `prepare` (shaders/prepare.wgsl): the stages of `xray-gpu prepare` after the resize that
 * have no op of their own: the cast to 8-bit levels (packed, with their range), CLAHE's level-to-bin
 * table made on the GPU from that range (so CLAHE needs no readback before it), and the
 * normalisation.
 */
import { CLAHE_GRAY_LEVELS } from '../../filters/clahe.js';
import { roundHalfEven } from '../../filters/uint8.js';
import { linearGrid, type Recording } from '../recording.js';
import { BufferUsage } from '../usage.js';

/** 8-bit levels on the GPU: four per word, and the [min, max] of the levels (two u32). */
export interface PackedLevels {
  packed: GPUBuffer;
  range: GPUBuffer;
}

/**
 * Records `np.clip(np.round(x), 0, 255)` of a float32 plane of `count` pixels into packed 8-bit
 * levels (pinned), and the reduction of their min and max.
 */
export function recordToLevels(rec: Recording, src: GPUBuffer, count: number, what: string): PackedLevels {
  const words = Math.ceil(count / 4);
  const params = rec.uniform(new Uint32Array([count, 0, 0, 0]).buffer, `${what} levels params`);
  const packed = rec.plane(words, `${what} levels`);
  rec.pin(packed);
  const range = rec.upload(new Uint32Array([0xffffffff, 0]), `${what} levels range`);
  rec.dispatch('prepare', 'to_levels', [params, src, packed, range], linearGrid(words, rec.maxWorkgroupsPerDimension), `${what} levels`);
  return { packed, range };
}

/**
 * Records CLAHE's bin of each 8-bit level (src/filters/clahe.ts `binTable`) from the range that
 * `recordToLevels` reduced; returns the 256-entry table (pinned).
 */
export function recordClaheBins(rec: Recording, levels: PackedLevels, nbins: number, what: string): GPUBuffer {
  const binSize = 1 + Math.floor(CLAHE_GRAY_LEVELS / nbins);
  const params = rec.uniform(new Uint32Array([256, binSize, 0, 0]).buffer, `${what} bins params`);
  const bins = rec.plane(256, `${what} bin table`);
  rec.pin(bins);
  rec.dispatch('prepare', 'clahe_bins', [params, undefined, undefined, levels.range, rescaleBuffer(rec.device), bins], [1, 1], `${what} bins`);
  return bins;
}

/** The `--normalize` modes, numbered as the shader's `mode`. */
const NORMALISE_MODES = { none: 0, unit: 1, xrv: 2 } as const;

/** Records prepare's normalisation of a float32 plane; returns the result plane (pinned). */
export function recordPrepareNormalise(rec: Recording, src: GPUBuffer, count: number, how: keyof typeof NORMALISE_MODES, what: string): GPUBuffer {
  const params = rec.uniform(new Uint32Array([count, NORMALISE_MODES[how], 0, 0]).buffer, `${what} normalise params`);
  const dst = rec.plane(count, `${what} normalised`);
  rec.pin(dst);
  rec.dispatch('prepare', 'normalise', [params, src, undefined, undefined, undefined, undefined, dst],
    linearGrid(count, rec.maxWorkgroupsPerDimension), `${what} normalise`);
  return dst;
}

/**
 * skimage's rescale of level `a` above the minimum of an image whose 8-bit levels span `d`:
 * `np.round((a * 257) / (d * 257) * 16383)` in float64, as `binTable` computes it. Its entries
 * are the table `clahe_bins` reads (entry d * 256 + a).
 */
export function rescaleTable(): Uint32Array {
  const table = new Uint32Array(256 * 256);
  for (let d = 1; d < 256; d++) {
    for (let a = 0; a <= d; a++) table[d * 256 + a] = roundHalfEven(((a * 257) / (d * 257)) * (CLAHE_GRAY_LEVELS - 1));
  }
  return table;
}

/** The rescale table on the GPU, uploaded once per device and kept while it lives (like pipelines). */
const rescaleCache = new WeakMap<GPUDevice, GPUBuffer>();

function rescaleBuffer(device: GPUDevice): GPUBuffer {
  let buffer = rescaleCache.get(device);
  if (!buffer) {
    const table = rescaleTable();
    buffer = device.createBuffer({ label: 'xray-gpu clahe rescale table', size: table.byteLength, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, table.buffer, table.byteOffset, table.byteLength);
    rescaleCache.set(device, buffer);
  }
  return buffer;
}

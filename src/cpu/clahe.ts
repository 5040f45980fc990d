/**
 * CLAHE on the CPU: skimage 0.19 equalize_adapthist on an 8-bit image, as levels round(255 * out),
 * computed exactly as skimage does (integer histograms, float64 maps, float32 blending truncated to
 * uint16): see ../filters/clahe.ts for the steps.
 */
import {
  type ClaheGeometry,
  type ClaheOptions,
  binTable,
  blendWeights,
  claheGeometry,
  clipHistogram,
  mapHistogram,
  reflectIndex,
  validateClaheOptions,
} from '../filters/clahe.js';
import { roundHalfEven } from '../filters/uint8.js';
import { pixelRange } from './fast/levels.js';
import type { Image2D } from '../image.js';

/** `round(255 * equalize_adapthist(image, kernel_size, clip_limit, nbins))` as 8-bit levels. */
export function clahe(image: Image2D<Uint8Array>, options: ClaheOptions = {}): Image2D<Uint8Array> {
  if (!(image.data instanceof Uint8Array)) throw new RangeError('clahe takes an 8-bit image (uint8 pixels)');
  const geometry = claheGeometry(image.width, image.height, validateClaheOptions(options));
  const bins = pixelBins(image, geometry.nbins);
  const maps = tileMaps(bins, geometry);
  const levels = blend(bins, maps, geometry);
  return { width: image.width, height: image.height, data: rescaleToLevels(levels) };
}

/** Each pixel's histogram bin (step 1). */
export function pixelBins(image: Image2D<Uint8Array>, nbins: number): Uint16Array {
  const data = image.data;
  const { lo, hi } = pixelRange(data);
  const table = binTable(lo, hi, nbins);
  const bins = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) bins[i] = table[data[i]];
  return bins;
}

/** The clipped, mapped histogram of every tile (steps 2-3): tilesY * tilesX * nbins values. */
export function tileMaps(bins: Uint16Array, g: ClaheGeometry): Uint32Array {
  const { width, height, kernel, tilesX, tilesY, nbins } = g;
  const [k0, k1] = kernel;
  const maps = new Uint32Array(tilesY * tilesX * nbins);
  const hist = new Int32Array(nbins);
  // Column of each tile-relative x (mirrored past the right edge), shared by every row.
  const columns = new Int32Array(tilesX * k1);
  for (let x = 0; x < columns.length; x++) columns[x] = reflectIndex(x, width);
  for (let ty = 0; ty < tilesY; ty++) {
    for (let tx = 0; tx < tilesX; tx++) {
      hist.fill(0);
      for (let r = 0; r < k0; r++) {
        const rowStart = reflectIndex(ty * k0 + r, height) * width;
        for (let c = tx * k1; c < (tx + 1) * k1; c++) hist[bins[rowStart + columns[c]]]++;
      }
      clipHistogram(hist, g.clipCount);
      mapHistogram(hist, g.tilePixels, maps.subarray((ty * tilesX + tx) * nbins, (ty * tilesX + tx + 1) * nbins));
    }
  }
  return maps;
}

/**
 * Step 4: each pixel blends its four neighbouring tiles' maps. Pixel (y, x) sits at padded
 * (y + k0 // 2, x + k1 // 2), in block (by, bx) at offset (u, v); block b's corners are tiles
 * b - 1 and b, clamped to the grid (skimage pads the maps by edge). Sums run in float32 in
 * skimage's order, then truncate to uint16.
 */
export function blend(bins: Uint16Array, maps: Uint32Array, g: ClaheGeometry): Uint16Array {
  const { width, height, kernel, tilesX, tilesY, nbins } = g;
  const [k0, k1] = kernel;
  const weights = blendWeights(kernel);
  const out = new Uint16Array(width * height);
  const fround = Math.fround;
  // Per column: block offset v and the two tile columns (clamped).
  const vOf = new Int32Array(width);
  const left = new Int32Array(width);
  const right = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const px = x + (k1 >> 1);
    const bx = Math.floor(px / k1);
    vOf[x] = px - bx * k1;
    left[x] = Math.min(Math.max(bx - 1, 0), tilesX - 1) * nbins;
    right[x] = Math.min(bx, tilesX - 1) * nbins;
  }
  for (let y = 0; y < height; y++) {
    const py = y + (k0 >> 1);
    const by = Math.floor(py / k0);
    const u = py - by * k0;
    const top = Math.min(Math.max(by - 1, 0), tilesY - 1) * tilesX * nbins;
    const bottom = Math.min(by, tilesY - 1) * tilesX * nbins;
    for (let x = 0; x < width; x++) {
      const bin = bins[y * width + x];
      const w = 4 * (u * k1 + vOf[x]);
      let sum = fround(maps[top + left[x] + bin] * weights[w]);
      sum = fround(sum + fround(maps[top + right[x] + bin] * weights[w + 1]));
      sum = fround(sum + fround(maps[bottom + left[x] + bin] * weights[w + 2]));
      sum = fround(sum + fround(maps[bottom + right[x] + bin] * weights[w + 3]));
      out[y * width + x] = sum; // float32 -> uint16 truncates, as astype(uint16) does
    }
  }
  return out;
}

/** rescale_intensity of the uint16 result to [0, 1] over its min and max, then round(255 * out). */
export function rescaleToLevels(levels: Uint16Array): Uint8Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < levels.length; i++) {
    if (levels[i] < min) min = levels[i];
    if (levels[i] > max) max = levels[i];
  }
  const out = new Uint8Array(levels.length);
  if (min === max) {
    // A constant result: np.clip(image, 0, 1), so 0 stays 0 and anything else becomes 1.
    out.fill(min > 0 ? 255 : 0);
    return out;
  }
  const span = max - min;
  // One rounding per level present in the range (at most 16384) rather than per pixel.
  const table = new Uint8Array(span + 1);
  for (let l = 0; l <= span; l++) table[l] = roundHalfEven(255 * (l / span));
  for (let i = 0; i < levels.length; i++) out[i] = table[levels[i] - min];
  return out;
}

/**
 * Resize on the CPU in float64: the per-axis tables of ../filters/resize.ts applied as two passes,
 * rows first (each output row a weighted sum of whole input rows, a streaming loop over contiguous
 * memory), then columns. No per-pixel allocation; the intermediate is reused across calls.
 */
import { type AxisTable, type ResizeMethod, centerCropBox, resizeTables, validateResizeSize } from '../filters/resize.js';
import { toUint8Levels } from '../filters/uint8.js';
import type { Image2D, PixelArray } from '../image.js';

/** The rows pass's output (outHeight x inWidth), kept between calls: batches resize many images alike. */
let scratch = new Float64Array(0);

/**
 * skimage 0.19 `transform.resize(x.astype(float64), (height, width), order=1, mode='reflect',
 * anti_aliasing=True, preserve_range=True)`: Gaussian anti-aliasing, bilinear zoom on the pixel grid,
 * clipped to the input's range.
 */
export function resizeSkimage(image: Image2D, height: number, width: number): Image2D<Float64Array> {
  const out = resizeWith('skimage', image, height, width);
  // _clip_warp_output: np.clip(out, input min, input max).
  let min = Infinity;
  let max = -Infinity;
  const data = image.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = o[i] < min ? min : o[i] > max ? max : o[i];
  return out;
}

/** OpenCV `cv2.resize(x, (width, height), interpolation=cv2.INTER_AREA)` on the image as float64. */
export function resizeArea(image: Image2D, height: number, width: number): Image2D<Float64Array> {
  return resizeWith('area', image, height, width);
}

/**
 * `cv2.resize` INTER_AREA of an 8-bit image, as 8-bit levels: OpenCV computes in float32 (11-bit
 * fixed point where an axis grows) and rounds; this computes in float64 and rounds half to even, so
 * a level may differ by 1 where OpenCV's sum lands within its rounding error of a half.
 */
export function resizeAreaUint8(image: Image2D<Uint8Array>, height: number, width: number): Image2D<Uint8Array> {
  const resized = resizeArea(image, height, width);
  return { width, height, data: toUint8Levels(resized.data) };
}

/** Either method's tables applied to the image. */
export function resizeWith(method: ResizeMethod, image: Image2D, height: number, width: number): Image2D<Float64Array> {
  validateResizeSize(height, width);
  const [rows, columns] = resizeTables(method, image.height, image.width, height, width);
  return { width, height, data: applyTables(image.data, image.width, rows, columns) };
}

/** out = Rows · X · Colsᵀ for a row-major image of `inWidth` columns. */
export function applyTables(input: PixelArray, inWidth: number, rows: AxisTable, columns: AxisTable): Float64Array {
  const outHeight = rows.outLength;
  const outWidth = columns.outLength;
  if (scratch.length < outHeight * inWidth) scratch = new Float64Array(outHeight * inWidth);
  const tmp = scratch;
  // Rows: tmp[o, :] = sum_k w_k * x[i_k, :], eight input rows per sweep over the output row (an
  // eighth of the loads and stores of the intermediate row that one row at a time costs).
  const { offset: rowOffset, index: rowIndex, weight: rowWeight } = rows;
  for (let o = 0; o < outHeight; o++) {
    const base = o * inWidth;
    tmp.fill(0, base, base + inWidth);
    let k = rowOffset[o];
    const end = rowOffset[o + 1];
    for (; k + 8 <= end; k += 8) {
      const w0 = rowWeight[k];
      const w1 = rowWeight[k + 1];
      const w2 = rowWeight[k + 2];
      const w3 = rowWeight[k + 3];
      const w4 = rowWeight[k + 4];
      const w5 = rowWeight[k + 5];
      const w6 = rowWeight[k + 6];
      const w7 = rowWeight[k + 7];
      const f0 = rowIndex[k] * inWidth;
      const f1 = rowIndex[k + 1] * inWidth;
      const f2 = rowIndex[k + 2] * inWidth;
      const f3 = rowIndex[k + 3] * inWidth;
      const f4 = rowIndex[k + 4] * inWidth;
      const f5 = rowIndex[k + 5] * inWidth;
      const f6 = rowIndex[k + 6] * inWidth;
      const f7 = rowIndex[k + 7] * inWidth;
      for (let x = 0; x < inWidth; x++) {
        tmp[base + x] +=
          w0 * input[f0 + x] + w1 * input[f1 + x] + w2 * input[f2 + x] + w3 * input[f3 + x] +
          w4 * input[f4 + x] + w5 * input[f5 + x] + w6 * input[f6 + x] + w7 * input[f7 + x];
      }
    }
    for (; k + 2 <= end; k += 2) {
      const w0 = rowWeight[k];
      const w1 = rowWeight[k + 1];
      const f0 = rowIndex[k] * inWidth;
      const f1 = rowIndex[k + 1] * inWidth;
      for (let x = 0; x < inWidth; x++) tmp[base + x] += w0 * input[f0 + x] + w1 * input[f1 + x];
    }
    for (; k < end; k++) {
      const w = rowWeight[k];
      const from = rowIndex[k] * inWidth;
      for (let x = 0; x < inWidth; x++) tmp[base + x] += w * input[from + x];
    }
  }
  // Columns: out[o, j] = sum_k w_k * tmp[o, i_k].
  const out = new Float64Array(outHeight * outWidth);
  const { offset, index, weight } = columns;
  for (let o = 0; o < outHeight; o++) {
    const base = o * inWidth;
    const outBase = o * outWidth;
    for (let j = 0; j < outWidth; j++) {
      let sum = 0;
      for (let k = offset[j]; k < offset[j + 1]; k++) sum += weight[k] * tmp[base + index[k]];
      out[outBase + j] = sum;
    }
  }
  return out;
}

/** torchxrayvision's XRayCenterCrop: the central min(H, W) square, same dtype, copied. */
export function centerCrop<T extends PixelArray>(image: Image2D<T>): Image2D<T> {
  const { x, y, size } = centerCropBox(image.width, image.height);
  if (size === image.width && size === image.height) return { width: size, height: size, data: image.data.slice() as T };
  const data = new (image.data.constructor as new (length: number) => T)(size * size);
  for (let r = 0; r < size; r++) {
    const from = (y + r) * image.width + x;
    data.set(image.data.subarray(from, from + size), r * size);
  }
  return { width: size, height: size, data };
}

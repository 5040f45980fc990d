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
  // Rows: tmp[o, :] = sum_k w_k * x[i_k, :].
  for (let o = 0; o < outHeight; o++) {
    const base = o * inWidth;
    tmp.fill(0, base, base + inWidth);
    for (let k = rows.offset[o]; k < rows.offset[o + 1]; k++) {
      const w = rows.weight[k];
      const from = rows.index[k] * inWidth;
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

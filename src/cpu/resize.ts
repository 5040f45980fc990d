/**
 * Resize on the CPU in float64: the per-axis tables of ../filters/resize.ts applied as two passes,
 * rows first (each output row a weighted sum of whole input rows, a streaming loop over contiguous
 * memory), then columns. In WebAssembly SIMD where it exists (the intermediate lives in the
 * kernel's memory), else in scalar JavaScript (the intermediate reused across calls).
 */
import { type AxisTable, type ResizeMethod, centerCropBox, resizeTables, validateResizeSize } from '../filters/resize.js';
import { toUint8Levels } from '../filters/uint8.js';
import type { Image2D, PixelArray } from '../image.js';
import { kernelLoader } from '../wasm/kernel.js';
import { pixelRange } from './fast/levels.js';
import { WEIGHTED_ROWS_WASM } from '../wasm/weighted-rows.generated.js';

interface WeightedRowsExports {
  /** `length` f64 at byte address `out`: sum over k < n of w[k] * (f64 at taps[k] + 8 i), in k order. */
  weighted_rows(taps: number, weights: number, n: number, length: number, out: number): void;
  /** dst (cols x rows f64) = the transpose of src (rows x cols f64). */
  transpose(src: number, rows: number, cols: number, dst: number): void;
  /** `count` f64 at dst = the `count` bytes at src. */
  u8_to_f64(src: number, count: number, dst: number): void;
}

/** This thread's weighted_rows kernel (src/wasm/weighted-rows.wat), or undefined without WebAssembly SIMD. */
const weightedRowsKernel = kernelLoader<WeightedRowsExports>(WEIGHTED_ROWS_WASM);

/** The scalar rows pass's output (outHeight x inWidth), kept between calls: batches resize many images alike. */
let scratch = new Float64Array(0);

/**
 * skimage 0.19 `transform.resize(x.astype(float64), (height, width), order=1, mode='reflect',
 * anti_aliasing=True, preserve_range=True)`: Gaussian anti-aliasing, bilinear zoom on the pixel grid,
 * clipped to the input's range.
 */
export function resizeSkimage(image: Image2D, height: number, width: number): Image2D<Float64Array> {
  const out = resizeWith('skimage', image, height, width);
  // _clip_warp_output: np.clip(out, input min, input max).
  const { lo: min, hi: max } = pixelRange(image.data);
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
  return applyTablesSimd(input, inWidth, rows, columns) ?? applyTablesScalar(input, inWidth, rows, columns);
}

/** Both passes in scalar JavaScript, bit-identical to applyTablesSimd. */
function applyTablesScalar(input: PixelArray, inWidth: number, rows: AxisTable, columns: AxisTable): Float64Array {
  const outHeight = rows.outLength;
  const outWidth = columns.outLength;
  if (scratch.length < outHeight * inWidth) scratch = new Float64Array(outHeight * inWidth);
  const tmp = scratch;
  rowsPass(input, inWidth, rows, tmp);
  // Columns: out[o, j] = sum_k w_k * tmp[o, i_k], starting from the first product as weighted_rows does.
  // Four output rows at a time: four independent sums share each weight and index.
  const out = new Float64Array(outHeight * outWidth);
  const { offset, index, weight } = columns;
  let o = 0;
  for (; o + 4 <= outHeight; o += 4) {
    const b0 = o * inWidth;
    const b1 = b0 + inWidth;
    const b2 = b1 + inWidth;
    const b3 = b2 + inWidth;
    const at = o * outWidth;
    for (let j = 0; j < outWidth; j++) {
      let k = offset[j];
      const end = offset[j + 1];
      let w = weight[k];
      let i = index[k];
      let s0 = tmp[b0 + i] * w;
      let s1 = tmp[b1 + i] * w;
      let s2 = tmp[b2 + i] * w;
      let s3 = tmp[b3 + i] * w;
      for (k++; k < end; k++) {
        w = weight[k];
        i = index[k];
        s0 += tmp[b0 + i] * w;
        s1 += tmp[b1 + i] * w;
        s2 += tmp[b2 + i] * w;
        s3 += tmp[b3 + i] * w;
      }
      out[at + j] = s0;
      out[at + outWidth + j] = s1;
      out[at + 2 * outWidth + j] = s2;
      out[at + 3 * outWidth + j] = s3;
    }
  }
  for (; o < outHeight; o++) {
    const base = o * inWidth;
    for (let j = 0; j < outWidth; j++) {
      let k = offset[j];
      let sum = tmp[base + index[k]] * weight[k];
      for (k++; k < offset[j + 1]; k++) sum += tmp[base + index[k]] * weight[k];
      out[o * outWidth + j] = sum;
    }
  }
  return out;
}

/**
 * torchxrayvision's XRayCenterCrop: the central min(H, W) square, same dtype; a square image comes
 * back as it is (no copy: ChestX-ray8's images are all square, and nothing here writes to inputs).
 */
export function centerCrop<T extends PixelArray>(image: Image2D<T>): Image2D<T> {
  const { x, y, size } = centerCropBox(image.width, image.height);
  if (size === image.width && size === image.height) return image;
  const data = new (image.data.constructor as new (length: number) => T)(size * size);
  for (let r = 0; r < size; r++) {
    const from = (y + r) * image.width + x;
    data.set(image.data.subarray(from, from + size), r * size);
  }
  return { width: size, height: size, data };
}

/**
 * The rows pass in scalar JavaScript: tmp[o, :] = ((x[i_0, :] * w_0 + x[i_1, :] * w_1) + ...), the
 * taps added in order (bit-identical to weighted_rows), eight input rows per sweep over the output
 * row to save loads and stores of it.
 */
function rowsPass(input: PixelArray, inWidth: number, rows: AxisTable, tmp: Float64Array): void {
  const { offset, index, weight, outLength } = rows;
  for (let o = 0; o < outLength; o++) {
    const base = o * inWidth;
    let k = offset[o];
    const end = offset[o + 1];
    const first = index[k] * inWidth;
    const w = weight[k];
    for (let x = 0; x < inWidth; x++) tmp[base + x] = input[first + x] * w;
    for (k++; k + 8 <= end; k += 8) {
      const w0 = weight[k];
      const w1 = weight[k + 1];
      const w2 = weight[k + 2];
      const w3 = weight[k + 3];
      const w4 = weight[k + 4];
      const w5 = weight[k + 5];
      const w6 = weight[k + 6];
      const w7 = weight[k + 7];
      const f0 = index[k] * inWidth;
      const f1 = index[k + 1] * inWidth;
      const f2 = index[k + 2] * inWidth;
      const f3 = index[k + 3] * inWidth;
      const f4 = index[k + 4] * inWidth;
      const f5 = index[k + 5] * inWidth;
      const f6 = index[k + 6] * inWidth;
      const f7 = index[k + 7] * inWidth;
      for (let x = 0; x < inWidth; x++) {
        let v = tmp[base + x];
        v += input[f0 + x] * w0;
        v += input[f1 + x] * w1;
        v += input[f2 + x] * w2;
        v += input[f3 + x] * w3;
        v += input[f4 + x] * w4;
        v += input[f5 + x] * w5;
        v += input[f6 + x] * w6;
        v += input[f7 + x] * w7;
        tmp[base + x] = v;
      }
    }
    for (; k < end; k++) {
      const wk = weight[k];
      const from = index[k] * inWidth;
      for (let x = 0; x < inWidth; x++) tmp[base + x] += input[from + x] * wk;
    }
  }
}

/**
 * Both passes in WebAssembly SIMD (two f64 lanes), in the kernel's memory: the image goes in as f64
 * once; each output row is one weighted_rows call over input rows; the intermediate is transposed so
 * that each output column is one weighted_rows call over its rows too (contiguous, as the columns
 * pass in place would not be); the result is transposed back. Undefined, having done nothing, where
 * SIMD is unavailable or the memory cannot grow to hold the image.
 */
function applyTablesSimd(input: PixelArray, inWidth: number, rows: AxisTable, columns: AxisTable): Float64Array | undefined {
  const kernel = weightedRowsKernel();
  if (!kernel) return undefined;
  const outHeight = rows.outLength;
  const outWidth = columns.outLength;
  const maxTaps = Math.max(mostTaps(rows), mostTaps(columns));
  // Regions, all 8-byte aligned: image (f64), taps (i32), weights, intermediate, its transpose, the
  // result transposed, the result.
  const tapsAt = input.length * 8;
  const weightsAt = tapsAt + Math.ceil(maxTaps / 2) * 8;
  const tmpAt = weightsAt + maxTaps * 8;
  const tmpTAt = tmpAt + outHeight * inWidth * 8;
  const outTAt = tmpTAt + outHeight * inWidth * 8;
  const outAt = outTAt + outHeight * outWidth * 8;
  // An 8-bit image is copied in as bytes after the rest and widened to f64 by the kernel.
  const bytesAt = outAt + outHeight * outWidth * 8;
  const bytes = input instanceof Uint8Array ? input : undefined;
  if (!kernel.reserve(bytesAt + (bytes ? bytes.length : 0))) return undefined;
  const { exports, i32, f64 } = kernel;
  if (bytes) {
    kernel.u8.set(bytes, bytesAt);
    exports.u8_to_f64(bytesAt, bytes.length, 0);
  } else {
    f64.set(input, 0);
  }
  const weightedSums = (table: AxisTable, sourceAt: number, sourceRowBytes: number, length: number, outAt: number) => {
    const { offset, index, weight } = table;
    for (let o = 0; o < table.outLength; o++) {
      const start = offset[o];
      const n = offset[o + 1] - start;
      for (let k = 0; k < n; k++) {
        i32[tapsAt / 4 + k] = sourceAt + index[start + k] * sourceRowBytes;
        f64[weightsAt / 8 + k] = weight[start + k];
      }
      exports.weighted_rows(tapsAt, weightsAt, n, length, outAt + o * length * 8);
    }
  };
  weightedSums(rows, 0, inWidth * 8, inWidth, tmpAt);
  exports.transpose(tmpAt, outHeight, inWidth, tmpTAt);
  weightedSums(columns, tmpTAt, outHeight * 8, outHeight, outTAt);
  exports.transpose(outTAt, outWidth, outHeight, outAt);
  return f64.slice(outAt / 8, outAt / 8 + outHeight * outWidth);
}

function mostTaps(table: AxisTable): number {
  let most = 0;
  for (let o = 0; o < table.outLength; o++) most = Math.max(most, table.offset[o + 1] - table.offset[o]);
  return most;
}

/**
 * The image model: a 2-D grayscale image stored row-major (shape [height, width], C order,
 * as NumPy would hold it), and a stack of same-sized images for a patient's follow-ups.
 */

export type PixelArray = Uint8Array | Uint16Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
/** int16, int32 and uint32 hold DICOM stored values (signed CT, 32-bit dose grids). */
export type DType = 'uint8' | 'uint16' | 'int16' | 'int32' | 'uint32' | 'float32' | 'float64';

export interface Image2D<T extends PixelArray = PixelArray> {
  readonly width: number;
  readonly height: number;
  /** Pixel (row y, column x) is `data[y * width + x]`. */
  readonly data: T;
}

/** Images of one size, in order (e.g. follow-ups 000..008 of one patient). */
export interface ImageStack<T extends PixelArray = PixelArray> {
  readonly width: number;
  readonly height: number;
  readonly frames: readonly Image2D<T>[];
}

export function dtypeOf(data: PixelArray): DType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

const constructors = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

type ArrayOf<D extends DType> = InstanceType<(typeof constructors)[D]>;

/** A zero-filled image of the given size and dtype. */
export function createImage<D extends DType>(width: number, height: number, dtype: D): Image2D<ArrayOf<D>> {
  assertSize(width, height);
  return { width, height, data: new constructors[dtype](width * height) as ArrayOf<D> };
}

/** Wraps existing pixels, checking that their count matches the size. */
export function imageFrom<T extends PixelArray>(width: number, height: number, data: T): Image2D<T> {
  assertSize(width, height);
  if (data.length !== width * height) {
    throw new RangeError(`image data has ${data.length} pixels, expected ${width}x${height} = ${width * height}`);
  }
  return { width, height, data };
}

/** The image's pixels as float64 (a copy), the CPU engine's working type. */
export function toFloat64(image: Image2D): Image2D<Float64Array> {
  return { width: image.width, height: image.height, data: new Float64Array(image.data) };
}

/** Stacks same-sized images; a size mismatch is an error naming the frames that differ. */
export function stackImages<T extends PixelArray>(frames: readonly Image2D<T>[], names?: readonly string[]): ImageStack<T> {
  if (frames.length === 0) throw new RangeError('cannot stack zero images');
  const { width, height } = frames[0];
  frames.forEach((frame, i) => {
    if (frame.width !== width || frame.height !== height) {
      const name = (k: number) => names?.[k] ?? `frame ${k}`;
      throw new RangeError(
        `images differ in size: ${name(0)} is ${width}x${height} but ${name(i)} is ${frame.width}x${frame.height}`,
      );
    }
  });
  return { width, height, frames };
}

function assertSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
}

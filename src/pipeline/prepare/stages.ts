/**
 * One image through prepare's stages on the CPU, in the order: crop, resize, CLAHE,
 * normalise, cast. Browser-safe (no Node built-ins): the viewer can run it too.
 *
 *   crop      center: torchxrayvision's XRayCenterCrop (the central square)
 *   resize    skimage: skimage 0.19 transform.resize (float64, anti-aliased, preserve_range);
 *             area: cv2.resize INTER_AREA (the float average; levels when cast to uint8)
 *   CLAHE     skimage exposure.equalize_adapthist on the resized image as 8-bit levels (NumPy
 *             rounding), giving levels round(255 * out)
 *   normalise unit: x / 255 (float64, as NumPy divides a float64 array);
 *             xrv: torchxrayvision's normalize(x, 255) = (2 * (x.astype(float32) / 255) - 1) * 1024,
 *             in float32 arithmetic as it computes
 *   cast      uint8: NumPy's round-half-even and clip; float32: nearest float32; float16: nearest
 *             half, one rounding (float16.ts)
 */
import { clahe } from '../../cpu/clahe.js';
import { centerCrop, resizeArea, resizeSkimage } from '../../cpu/resize.js';
import { toUint8Levels } from '../../filters/uint8.js';
import type { Image2D } from '../../image.js';
import { toFloat16Bits } from './float16.js';
import type { PrepareSettings } from './settings.js';

/** The prepared image in the shard's dtype: levels, float16 bits, or float32 values. */
export type PreparedPixels = Uint8Array | Uint16Array | Float32Array;

/** Runs the stages on one 8-bit gray image; the result has settings.height x settings.width values. */
export function prepareImage(image: Image2D<Uint8Array>, settings: PrepareSettings): PreparedPixels {
  const cropped = settings.crop === 'center' ? centerCrop(image) : image;
  const resized =
    settings.resize === 'skimage' ? resizeSkimage(cropped, settings.height, settings.width) : resizeArea(cropped, settings.height, settings.width);
  let values: ArrayLike<number> = resized.data;
  if (settings.clahe) {
    const levels = toUint8Levels(resized.data);
    values = clahe(
      { width: resized.width, height: resized.height, data: levels },
      { clipLimit: settings.clahe.clipLimit, kernelSize: settings.clahe.kernelSize, nbins: 256 },
    ).data;
  }
  const normalized = normalize(values, settings.normalize);
  switch (settings.dtype) {
    case 'uint8':
      return normalized instanceof Uint8Array ? normalized : toUint8Levels(normalized);
    case 'float16':
      return toFloat16Bits(normalized);
    case 'float32':
      return normalized instanceof Float32Array ? normalized : Float32Array.from(normalized);
  }
}

function normalize(values: ArrayLike<number>, how: PrepareSettings['normalize']): ArrayLike<number> {
  switch (how) {
    case 'none':
      return values;
    case 'unit': {
      const out = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = values[i] / 255;
      return out;
    }
    case 'xrv': {
      // Every step rounded to float32, as NumPy does on torchxrayvision's float32 array; the products
      // by 2 and 1024 are exact.
      const out = new Float32Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = Math.fround(2 * Math.fround(Math.fround(values[i]) / 255) - 1) * 1024;
      return out;
    }
  }
}

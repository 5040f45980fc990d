/**
 * Images through prepare's stages on the GPU (stages.ts is the CPU engine's), recorded into one
 * command encoder and one submit (one image, or the few that queued while the GPU was busy): upload
 * the 8-bit pixels, resize, then with --clahe the cast to 8-bit levels, CLAHE's bin table and CLAHE
 * itself, then the normalisation and the cast; only the shard rows come back. Browser-safe (no Node
 * built-ins).
 *
 *   on the host  the center crop (a copy of rows), the image's min and max (skimage's clip; the
 *                pixels are on the host already), the resize weight tables (cached per size by
 *                resizeTables), and for --dtype float16 the cast of the float32 row (WGSL leaves the
 *                rounding of an f32 to f16 conversion to the implementation; toFloat16Bits rounds to
 *                nearest even)
 *   on the GPU   everything else, in float32: within 1e-4 of the range of the CPU engine's float64
 *                for float outputs, and a level off at most where a value lies within float32
 *                rounding of a half level for uint8
 */
import { pixelRange } from '../../cpu/fast/levels.js';
import { centerCrop } from '../../cpu/resize.js';
import { claheGeometry } from '../../filters/clahe.js';
import { resizeTables } from '../../filters/resize.js';
import type { Image2D } from '../../image.js';
import type { SizedOpContext } from '../../gpu/sized-ops.js';
import { recordClahe } from '../../gpu/programs/clahe.js';
import { recordClaheBins, recordPrepareNormalise, recordToLevels } from '../../gpu/programs/prepare.js';
import { recordResize } from '../../gpu/programs/resize.js';
import { uploadPlane } from '../../gpu/programs/upload.js';
import { Recording } from '../../gpu/recording.js';
import { BufferUsage, MapModeRead } from '../../gpu/usage.js';
import { toFloat16Bits } from './float16.js';
import type { PreparedPixels } from './stages.js';
import type { PrepareSettings } from './settings.js';

/** Runs the stages on one 8-bit gray image; the result has settings.height x settings.width values, as `prepareImage`. */
export async function prepareImageGpu(context: SizedOpContext, image: Image2D<Uint8Array>, settings: PrepareSettings): Promise<PreparedPixels> {
  const [pixels] = await prepareImagesGpu(context, [image], settings);
  return pixels;
}

/**
 * `prepareImageGpu` for several images (of any sizes) in one submit and one wait: images that queued
 * while the GPU was busy cost one round trip together rather than one each.
 */
export async function prepareImagesGpu(context: SizedOpContext, images: readonly Image2D<Uint8Array>[], settings: PrepareSettings): Promise<PreparedPixels[]> {
  const { height, width } = settings;
  const count = height * width;
  const uint8 = settings.dtype === 'uint8';
  // Levels come back packed four per word; float32 values as they are (float16 is cast on the host).
  const bytes = uint8 ? Math.ceil(count / 4) * 4 : count * 4;
  const rec = new Recording(context.device, context.pool, `prepare x${images.length}`);
  try {
    const outputs = images.map((image, i) => recordStages(rec, image, settings, `prepare ${i} ${image.width}x${image.height}`));
    rec.endPass();
    const readbacks = outputs.map((output, i) => {
      const readback = context.pool.acquire(bytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST, `prepare ${i} readback`);
      rec.pin(readback);
      rec.encoder.copyBufferToBuffer(output, 0, readback, 0, bytes);
      return readback;
    });
    context.device.queue.submit([rec.encoder.finish({ label: `xray-gpu prepare x${images.length} commands` })]);
    await Promise.all(readbacks.map((readback) => readback.mapAsync(MapModeRead, 0, bytes)));
    return readbacks.map((readback) => {
      const row = readback.getMappedRange(0, bytes).slice(0, uint8 ? count : bytes);
      readback.unmap();
      if (uint8) return new Uint8Array(row);
      const floats = new Float32Array(row);
      return settings.dtype === 'float16' ? toFloat16Bits(floats) : floats;
    });
  } finally {
    rec.endPass();
    rec.releasePinned();
  }
}

/** Records one image's stages; returns the buffer holding its shard row (packed levels or float32). */
function recordStages(rec: Recording, image: Image2D<Uint8Array>, settings: PrepareSettings, what: string): GPUBuffer {
  const cropped = settings.crop === 'center' ? centerCrop(image) : image;
  const { height, width } = settings;
  const count = height * width;
  // resizeTables caches them: a tree of same-sized images builds them once.
  const [rows, columns] = resizeTables(settings.resize, cropped.height, cropped.width, height, width);
  // skimage clips to the input's range; OpenCV does not.
  const clip = settings.resize === 'skimage' ? pixelRange(cropped.data) : null;
  let values = recordResize(rec, uploadPlane(rec, cropped, what), cropped.width, rows, columns, clip, what);
  if (settings.clahe) {
    const levels = recordToLevels(rec, values, count, what);
    const geometry = claheGeometry(width, height, { clipLimit: settings.clahe.clipLimit, kernelSize: settings.clahe.kernelSize, nbins: 256 });
    values = recordClahe(rec, levels.packed, geometry, recordClaheBins(rec, levels, geometry.nbins, what), what);
  }
  if (settings.dtype === 'uint8') return recordToLevels(rec, values, count, what).packed;
  return settings.normalize === 'none' ? values : recordPrepareNormalise(rec, values, count, settings.normalize, what);
}


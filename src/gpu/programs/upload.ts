/**
 * Program `unpack` (shaders/unpack.wgsl): puts an image on the GPU as a float32 plane. 8-bit and
 * 16-bit pixels travel packed (4 or 2 per u32 word, a quarter or half of the float32 bytes) and are
 * unpacked by a kernel; float32 goes up as is; float64, int16, int32 and uint32 are converted to
 * float32 on the host.
 */
import type { Image2D } from '../../image.js';
import { linearGrid, type Recording } from '../recording.js';

/** Uploads the pixels of 8-bit or 16-bit images packed into u32 words, for `unpack` and `levels`. */
export function uploadPacked(rec: Recording, image: Image2D<Uint8Array | Uint16Array>, what: string): GPUBuffer {
  return rec.upload(image.data, `${what} packed pixels`);
}

/** The image as a float32 plane on the GPU, pinned until the recording's submit completes. */
export function uploadPlane(rec: Recording, image: Image2D, what: string): GPUBuffer {
  const { data } = image;
  const count = image.width * image.height;
  if (data instanceof Float32Array) return rec.upload(data, `${what} plane`);
  // float64 and the DICOM integer types (int16, int32, uint32) are converted on the host.
  if (!(data instanceof Uint8Array || data instanceof Uint16Array)) return rec.upload(Float32Array.from(data), `${what} plane`);
  const packed = uploadPacked(rec, image as Image2D<Uint8Array | Uint16Array>, what);
  const plane = rec.plane(count, `${what} plane`);
  rec.pin(plane);
  const perWord = data instanceof Uint8Array ? 4 : 2;
  const params = rec.uniform(new Uint32Array([count, 0, 0, 0]).buffer, `${what} unpack params`);
  rec.dispatch(
    'unpack',
    data instanceof Uint8Array ? 'unpack_u8' : 'unpack_u16',
    [params, packed, plane],
    linearGrid(Math.ceil(count / perWord), rec.maxWorkgroupsPerDimension),
    `${what} unpack`,
  );
  return plane;
}

/**
 * Image bytes to pixels. TEMPORARY: through the browser's own decoder and a canvas (8-bit gray only)
 * until the library's decodeImage (branch a1-codecs) lands; then this module becomes a one-line call.
 */
import type { Image2D } from '../../src/index.js';

export async function decodeBytes(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<Image2D> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (error) {
    throw new Error(`${name}: not an image this page can decode`, { cause: error });
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const data = new Uint8Array(bitmap.width * bitmap.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[4 * i];
  return { width: bitmap.width, height: bitmap.height, data };
}

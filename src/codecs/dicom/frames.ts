/**
 * One frame's bytes out of the Pixel Data element (7FE0,0010): native pixel data is one block of
 * Rows x Columns x SamplesPerPixel x BitsAllocated/8 bytes per frame (PS3.5 8.1.1); encapsulated
 * pixel data is a Basic Offset Table item and fragments (PS3.5 A.4), a frame being one or more
 * fragments.
 */
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from './parse.js';

export class FrameError extends Error {}

/** Native samples of frame `index` as unsigned bit patterns in host order (a copy). */
export function nativeFrame(
  dataSet: DataSet,
  element: Element,
  index: number,
  samplesPerFrame: number,
  bitsAllocated: number,
  bigEndian: boolean,
): Uint8Array | Uint16Array | Uint32Array {
  const bytesPerSample = bitsAllocated / 8;
  const frameBytes = samplesPerFrame * bytesPerSample;
  const start = element.dataOffset + index * frameBytes;
  const available = Math.min(element.length, dataSet.byteArray.length - element.dataOffset);
  if ((index + 1) * frameBytes > available) {
    throw new FrameError(
      `truncated pixel data: frame ${index} needs bytes ${index * frameBytes}..${(index + 1) * frameBytes} of the pixel data but it holds ${Math.max(0, available)}`,
    );
  }
  // A fresh, aligned copy, which the typed views below need (Buffer#slice would not copy).
  const bytes = new Uint8Array(frameBytes);
  bytes.set(dataSet.byteArray.subarray(start, start + frameBytes));
  if (bytesPerSample === 1) return new Uint8Array(bytes.buffer, bytes.byteOffset, frameBytes);
  if (bigEndian) {
    for (let i = 0; i < frameBytes; i += bytesPerSample) {
      for (let a = i, b = i + bytesPerSample - 1; a < b; a++, b--) {
        const t = bytes[a];
        bytes[a] = bytes[b];
        bytes[b] = t;
      }
    }
  }
  const count = frameBytes / bytesPerSample;
  return bytesPerSample === 2 ? new Uint16Array(bytes.buffer, bytes.byteOffset, count) : new Uint32Array(bytes.buffer, bytes.byteOffset, count);
}

/** The compressed bytes of frame `index` of encapsulated pixel data. */
export function encapsulatedFrame(dataSet: DataSet, element: Element, index: number, frames: number, jpegFamily: boolean): Uint8Array {
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new FrameError('the encapsulated pixel data holds no fragments');
  try {
    if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length);
    if ((element.basicOffsetTable ?? []).length > 0) return dicomParser.readEncapsulatedImageFrame(dataSet, element, index);
    if (fragments.length === frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, index, 1);
    if (jpegFamily) {
      // No offset table and several fragments per frame: find the frames by their JPEG start markers.
      const table = dicomParser.createJPEGBasicOffsetTable(dataSet, element);
      return dicomParser.readEncapsulatedImageFrame(dataSet, element, index, table);
    }
  } catch (error) {
    throw new FrameError(`cannot find frame ${index} in the encapsulated pixel data: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  throw new FrameError(`cannot find frame ${index}: ${fragments.length} fragments for ${frames} frames and no Basic Offset Table`);
}

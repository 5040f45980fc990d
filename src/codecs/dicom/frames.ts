/**
 * One frame's bytes out of the Pixel Data element (7FE0,0010): native pixel data is one block of
 * Rows x Columns x SamplesPerPixel x BitsAllocated/8 bytes per frame (PS3.5 8.1.1); encapsulated
 * pixel data is a Basic Offset Table item and fragments (PS3.5 A.4), a frame being one or more
 * fragments.
 */
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

/**
 * The Basic Offset Table and the fragments of encapsulated pixel data (PS3.5 A.4): items (FFFE,E000)
 * with explicit lengths up to the Sequence Delimitation Item (FFFE,E0DD). Walked by their lengths, not
 * by scanning for the delimiter, so a fragment whose bytes happen to contain FFFE,E0DD stays whole.
 */
function fragmentsOf(bytes: Uint8Array, start: number): { offsets: number[]; fragments: Uint8Array[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: Uint8Array[] = [];
  let i = start;
  while (i + 8 <= bytes.length) {
    const group = view.getUint16(i, true);
    const element = view.getUint16(i + 2, true);
    const length = view.getUint32(i + 4, true);
    if (group !== 0xfffe) throw new FrameError(`expected an item tag (FFFE,E000) at byte ${i}, found (${hex(group)},${hex(element)})`);
    if (element === 0xe0dd) break;
    if (element !== 0xe000) throw new FrameError(`expected an item tag (FFFE,E000) at byte ${i}, found (FFFE,${hex(element)})`);
    if (i + 8 + length > bytes.length) throw new FrameError(`truncated pixel data: a fragment of ${length} bytes at byte ${i} runs past the end of the file`);
    items.push(bytes.subarray(i + 8, i + 8 + length));
    i += 8 + length;
  }
  if (items.length === 0) throw new FrameError('the encapsulated pixel data holds no Basic Offset Table item');
  const table = items[0];
  const tableView = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const offsets = Array.from({ length: table.length >> 2 }, (_, k) => tableView.getUint32(4 * k, true));
  return { offsets, fragments: items.slice(1) };
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** The compressed bytes of frame `index` of encapsulated pixel data (PS3.5 A.4, 8.2). */
export function encapsulatedFrame(dataSet: DataSet, element: Element, index: number, frames: number, jpegFamily: boolean): Uint8Array {
  const { offsets, fragments } = fragmentsOf(dataSet.byteArray, element.dataOffset);
  if (fragments.length === 0) throw new FrameError('the encapsulated pixel data holds no fragments');
  if (frames === 1) return concat(fragments);
  if (offsets.length > 0) {
    // Offsets count from the first fragment's item tag; each item adds an 8-byte header.
    if (offsets.length !== frames) throw new FrameError(`the Basic Offset Table lists ${offsets.length} frames, the header says ${frames}`);
    const parts: Uint8Array[] = [];
    let position = 0;
    for (const fragment of fragments) {
      const next = index + 1 < frames ? offsets[index + 1] : Infinity;
      if (position >= offsets[index] && position < next) parts.push(fragment);
      position += 8 + fragment.length;
    }
    if (parts.length === 0) throw new FrameError(`the Basic Offset Table points frame ${index} at no fragment`);
    return concat(parts);
  }
  if (fragments.length === frames) return fragments[index];
  if (jpegFamily) {
    // No offset table and several fragments per frame: a frame starts at each JPEG SOI marker (FFD8).
    const starts = fragments.flatMap((f, k) => (f[0] === 0xff && f[1] === 0xd8 ? [k] : []));
    if (starts.length === frames) return concat(fragments.slice(starts[index], index + 1 < frames ? starts[index + 1] : undefined));
  }
  throw new FrameError(`cannot find frame ${index}: ${fragments.length} fragments for ${frames} frames and no Basic Offset Table`);
}

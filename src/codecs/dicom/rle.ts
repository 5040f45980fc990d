/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header of 16 little-endian uint32 (the segment count, then
 * up to 15 segment offsets), then PackBits segments. Segment order is sample by sample, and within a
 * sample most significant byte first, so a 16-bit image has its high bytes in segment 0.
 */
import type { FrameGeometry } from './codecs.js';

export class RleError extends Error {}

/** Decodes one PackBits segment (G.3.1) into exactly `out.length` bytes; returns how many it filled. */
function unpackBits(input: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let i = start;
  let o = 0;
  const n = out.length;
  while (i < end && o < n) {
    const header = input[i++];
    if (header < 128) {
      const count = Math.min(header + 1, n - o, end - i);
      out.set(input.subarray(i, i + count), o);
      i += header + 1;
      o += count;
    } else if (header > 128) {
      const count = Math.min(257 - header, n - o);
      if (i >= end) break;
      out.fill(input[i++], o, o + count);
      o += count;
    }
    // header 128 (-128) is a no-op
  }
  return o;
}

export function decodeRle(frame: Uint8Array, geometry: FrameGeometry) {
  const { rows, columns, samplesPerPixel, bitsAllocated } = geometry;
  const bytesPerSample = bitsAllocated / 8;
  const expected = samplesPerPixel * bytesPerSample;
  if (frame.length < 64) throw new RleError(`RLE frame of ${frame.length} bytes is shorter than its 64-byte header`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== expected) {
    throw new RleError(`RLE header lists ${segments} segments, expected ${expected} (${samplesPerPixel} samples of ${bitsAllocated} bits)`);
  }
  const pixels = rows * columns;
  const planes = new Uint8Array(pixels);
  const Samples = bytesPerSample === 1 ? Uint8Array : bytesPerSample === 2 ? Uint16Array : Uint32Array;
  const samples = new Samples(pixels * samplesPerPixel);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    if (start < 64 || start > end || end > frame.length) {
      throw new RleError(`RLE segment ${s} has offsets ${start}..${end} outside the frame's ${frame.length} bytes`);
    }
    const filled = unpackBits(frame, start, end, planes);
    if (filled < pixels) throw new RleError(`RLE segment ${s} decodes to ${filled} bytes, expected ${pixels}`);
    const component = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
    const base = component * pixels;
    // >>> 0 keeps 32-bit samples unsigned.
    if (shift === 0) for (let i = 0; i < pixels; i++) samples[base + i] |= planes[i];
    else for (let i = 0; i < pixels; i++) samples[base + i] = (samples[base + i] | (planes[i] << shift)) >>> 0;
  }
  return { samples, width: columns, height: rows, components: samplesPerPixel, planar: true };
}

import { describe, expect, it } from 'vitest';
import { encodeGrayGif } from '../../src/io/gif.js';
import { imageFrom, type Image2D } from '../../src/image.js';
import { decodeGif } from './gif-decoder.js';

/** A frame whose pixels cover every level 0..255 (shifted per frame) plus some structure. */
function frame(width: number, height: number, shift: number): Image2D<Uint8Array> {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + shift * 31 + ((i / width) | 0)) & 255;
  return imageFrom(width, height, data);
}

describe('encodeGrayGif', () => {
  const frames = [frame(37, 29, 0), frame(37, 29, 1), frame(37, 29, 2)];

  it('stores every frame in order, at its size, with its exact gray levels', () => {
    const gif = decodeGif(encodeGrayGif(frames));
    expect([gif.width, gif.height]).toEqual([37, 29]);
    expect(gif.frames).toHaveLength(3);
    gif.frames.forEach((decoded, i) => {
      expect([decoded.width, decoded.height]).toEqual([37, 29]);
      const grays = Uint8Array.from(decoded.indices, (index) => {
        const [r, g, b] = decoded.palette[index];
        expect(r === g && g === b).toBe(true);
        return r;
      });
      expect(grays).toEqual(frames[i].data);
    });
  });

  it('uses one shared 256-gray global colour table and no local tables', () => {
    const gif = decodeGif(encodeGrayGif(frames));
    expect(gif.globalPalette).toEqual(Array.from({ length: 256 }, (_, v) => [v, v, v]));
    for (const decoded of gif.frames) expect(decoded.palette).toBe(gif.globalPalette);
  });

  it('writes the delay in hundredths of a second, rounded from milliseconds', () => {
    expect(decodeGif(encodeGrayGif(frames, { delayMs: 250 })).frames.map((f) => f.delayCs)).toEqual([25, 25, 25]);
    expect(decodeGif(encodeGrayGif(frames, { delayMs: 124 })).frames[0].delayCs).toBe(12);
    expect(decodeGif(encodeGrayGif(frames)).frames[0].delayCs).toBe(50);
  });

  it('loops forever by default and plays once with loop: false', () => {
    expect(decodeGif(encodeGrayGif(frames)).loopCount).toBe(0);
    expect(decodeGif(encodeGrayGif(frames, { loop: false })).loopCount).toBeNull();
  });

  it('round-trips a large frame with long runs and noise (LZW table resets)', () => {
    const big = frame(300, 200, 5);
    big.data.fill(17, 0, 20_000);
    const gif = decodeGif(encodeGrayGif([big]));
    expect(Uint8Array.from(gif.frames[0].indices, (k) => gif.frames[0].palette[k][0])).toEqual(big.data);
  });

  it('rejects frames of different sizes, naming the frames', () => {
    const odd = frame(36, 29, 0);
    expect(() => encodeGrayGif([frames[0], frames[1], odd])).toThrow('images differ in size: frame 0 is 37x29 but frame 2 is 36x29');
    expect(() => encodeGrayGif([frames[0], odd], { names: ['a.png', 'b.png'] })).toThrow('a.png is 37x29 but b.png is 36x29');
  });

  it('rejects no frames, non-8-bit frames and out-of-range delays', () => {
    expect(() => encodeGrayGif([])).toThrow('a GIF needs at least one frame, got 0');
    const float = imageFrom(2, 2, new Float32Array(4)) as unknown as Image2D<Uint8Array>;
    expect(() => encodeGrayGif([float])).toThrow('GIF frames must be 8-bit gray (Uint8Array), but frame 0 holds Float32Array');
    expect(() => encodeGrayGif(frames, { delayMs: -1 })).toThrow('GIF frame delay must be between 0 and 655350 ms, got -1');
    expect(() => encodeGrayGif(frames, { delayMs: NaN })).toThrow('got NaN');
  });
});

/** `xray-gpu animate`: a series of images as one GIF, frames in natural file-name order. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/io/png.js';
import { decodeGif } from '../io/gif-decoder.js';
import { assertBuilt, tempDir, xray } from './helpers.js';

const WIDTH = 12;
const HEIGHT = 9;
/** Frame k: a gradient offset by 20 k, so every frame differs and says which it is. */
const frameData = (k: number) => Uint8Array.from({ length: WIDTH * HEIGHT }, (_, i) => (i * 3 + 20 * k) % 256);

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = tempDir('animate');
  // Written out of order, with names whose plain sort (img_1, img_10, img_2) is wrong.
  mkdirSync(join(dir, 'series'));
  for (const k of [10, 2, 1]) writeFileSync(join(dir, 'series', `img_${k}.png`), encodePng({ width: WIDTH, height: HEIGHT, data: frameData(k) }));
  writeFileSync(join(dir, 'series', 'notes.txt'), 'not an image');
  writeFileSync(join(dir, 'wide.png'), encodePng({ width: WIDTH + 5, height: HEIGHT, data: new Uint8Array((WIDTH + 5) * HEIGHT) }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The GIF's frames as gray levels (the palette is gray: r = g = b). */
function grayFrames(path: string) {
  const gif = decodeGif(new Uint8Array(readFileSync(path)));
  return { gif, frames: gif.frames.map((frame) => Uint8Array.from(frame.indices, (index) => frame.palette[index][0])) };
}

describe('xray-gpu animate', () => {
  it('writes the images of a directory as frames in natural order (img_1, img_2, img_10), skipping non-images', async () => {
    const out = join(dir, 'out', 'natural.gif'); // the folder does not exist yet
    const run = await xray(['animate', join(dir, 'series'), '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('3 frames');
    const { gif, frames } = grayFrames(out);
    expect([gif.width, gif.height]).toEqual([WIDTH, HEIGHT]);
    expect(frames).toEqual([frameData(1), frameData(2), frameData(10)]);
    expect(gif.frames.map((frame) => frame.delayCs)).toEqual([50, 50, 50]); // the default 500 ms
    expect(gif.loopCount).toBe(0);
  });

  it('keeps the order of files named one by one, and --duration sets each frame time', async () => {
    const out = join(dir, 'listed.gif');
    const files = [10, 1].map((k) => join(dir, 'series', `img_${k}.png`));
    const run = await xray(['animate', ...files, '--out', out, '--duration', '1230', '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const { gif, frames } = grayFrames(out);
    expect(frames).toEqual([frameData(10), frameData(1)]);
    expect(gif.frames.map((frame) => frame.delayCs)).toEqual([123, 123]);
  });

  it('fails for images of different sizes, naming both files and their sizes, and writes nothing', async () => {
    const out = join(dir, 'mixed.gif');
    const first = join(dir, 'series', 'img_1.png');
    const run = await xray(['animate', first, join(dir, 'wide.png'), '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`img_1.png is ${WIDTH}x${HEIGHT}`);
    expect(run.stderr).toContain(`wide.png is ${WIDTH + 5}x${HEIGHT}`);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('refuses an output that is not .gif and a frame time GIF cannot store, before reading anything', async () => {
    const notGif = await xray(['animate', join(dir, 'series'), '--out', join(dir, 'x.png')]);
    expect(notGif.status).toBe(2);
    expect(notGif.stderr).toContain('--out is required and must end in .gif, got');
    const tooLong = await xray(['animate', join(dir, 'series'), '--out', join(dir, 'x.gif'), '--duration', '700000']);
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain('expected at most 655350 ms');
    expect(tooLong.stderr).toContain('"700000"');
  });

  it('names a missing input file', async () => {
    const missing = join(dir, 'series', 'img_99.png');
    const run = await xray(['animate', join(dir, 'series', 'img_1.png'), missing, '--out', join(dir, 'missing.gif')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(missing);
  });
});

describe('xray-gpu animate --max-side', () => {
  it('shrinks each frame by a whole factor to at most N pixels a side, as block means', async () => {
    const out = join(dir, 'small.gif');
    const run = await xray(['animate', join(dir, 'series'), '--out', out, '--max-side', '6']);
    expect(run.status, run.stderr).toBe(0);
    const { gif, frames } = grayFrames(out);
    // 12x9 shrinks by ceil(12 / 6) = 2 to 6x5 (the last row of blocks is half a block).
    expect([gif.width, gif.height]).toEqual([6, 5]);
    const full = frameData(1);
    const mean = (x: number, y: number) => {
      const rows = y * 2 + 1 < HEIGHT ? [y * 2, y * 2 + 1] : [y * 2];
      const values = rows.flatMap((r) => [full[r * WIDTH + x * 2], full[r * WIDTH + x * 2 + 1]]);
      return Math.round(values.reduce((a, b) => a + b, 0) / values.length);
    };
    expect(Array.from(frames[0])).toEqual(Array.from({ length: 30 }, (_, i) => mean(i % 6, Math.floor(i / 6))));
  });

  it('is a usage error when not an integer >= 1', async () => {
    const run = await xray(['animate', join(dir, 'series'), '--out', join(dir, 'x.gif'), '--max-side', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected an integer >= 1, got "0"');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/io/npy.js';
import { encodePng } from '../../src/io/png.js';
import { encodeGrayGif } from '../../src/io/gif.js';
import { completeOutputs, isCompleteOutput } from '../../src/pipeline/batch/resume.js';
import { finalNameOfTemp, sweepTempFiles } from '../../src/pipeline/batch/temp-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'xray-resume-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const png = encodePng({ width: 5, height: 3, data: Uint8Array.from({ length: 15 }, (_, i) => i * 17) });
const npy = encodeNpy([3, 5], new Float32Array(15).fill(1.5));

async function put(name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('isCompleteOutput', () => {
  it('accepts a whole PNG and rejects one cut anywhere before its IEND chunk', async () => {
    expect(await isCompleteOutput(await put('whole.png', png))).toBe(true);
    for (const cut of [1, 4, 12, png.length - 20]) {
      expect(await isCompleteOutput(await put(`cut${cut}.png`, png.subarray(0, png.length - cut)))).toBe(false);
    }
  });

  it('rejects a missing file, an empty file and text named .png', async () => {
    expect(await isCompleteOutput(path.join(dir, 'missing.png'))).toBe(false);
    expect(await isCompleteOutput(await put('empty.png', ''))).toBe(false);
    expect(await isCompleteOutput(await put('text.png', 'this is not a PNG, it only ends like one? no'))).toBe(false);
  });

  it('accepts a whole float32 .npy and rejects a short one, a long one and a float64 one', async () => {
    expect(await isCompleteOutput(await put('whole.npy', npy))).toBe(true);
    expect(await isCompleteOutput(await put('short.npy', npy.subarray(0, npy.length - 1)))).toBe(false);
    expect(await isCompleteOutput(await put('long.npy', Buffer.concat([npy, Buffer.from([0])])))).toBe(false);
    expect(await isCompleteOutput(await put('f8.npy', encodeNpy([3, 5], new Float64Array(15))))).toBe(false);
  });

  it('checks GIF trailers and JSON syntax for series outputs', async () => {
    const gif = encodeGrayGif([{ width: 2, height: 2, data: Uint8Array.of(0, 1, 2, 3) }]);
    expect(await isCompleteOutput(await put('s.gif', gif))).toBe(true);
    expect(await isCompleteOutput(await put('cut.gif', gif.subarray(0, gif.length - 1)))).toBe(false);
    expect(await isCompleteOutput(await put('s.json', '{"a": 1}\n'))).toBe(true);
    expect(await isCompleteOutput(await put('cut.json', '{"a": '))).toBe(false);
  });
});

describe('completeOutputs', () => {
  it('lists every output with its size when all are complete, and nothing when one is not', async () => {
    await put('x.a.png', png);
    await put('x.b.npy', npy);
    expect(await completeOutputs(dir, ['x.a.png', 'x.b.npy'])).toEqual([
      { path: 'x.a.png', bytes: png.length },
      { path: 'x.b.npy', bytes: npy.length },
    ]);
    expect(await completeOutputs(dir, ['x.a.png', 'x.c.png'])).toBeUndefined();
  });
});

describe('temporary files', () => {
  it('recognises writeFileAtomic names and recovers the final name', () => {
    expect(finalNameOfTemp('.x.sobel.png.12345.0123456789ab.tmp')).toBe('x.sobel.png');
    expect(finalNameOfTemp('x.sobel.png')).toBeUndefined();
    expect(finalNameOfTemp('.x.png.12.short.tmp')).toBeUndefined();
  });

  it('removes only the temporary files the owner claims', async () => {
    await put('.mine.png.1.0123456789ab.tmp', 'x');
    await put('.theirs.png.1.0123456789ab.tmp', 'x');
    await put('mine.png', png);
    const removed = await sweepTempFiles(dir, (final) => final === 'mine.png');
    expect(removed).toBe(1);
    expect(await isCompleteOutput(path.join(dir, 'mine.png'))).toBe(true);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).sort()).toEqual(['.theirs.png.1.0123456789ab.tmp', 'mine.png']);
  });
});

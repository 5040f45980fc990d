/**
 * The CPU engine on a real ChestX-ray8 image (00000011_001.png) against SciPy fingerprints in
 * test/golden/real-sample.json. Skipped when the samples are absent (set XRAY_SAMPLES).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { type Image2D, imageFrom } from '../../src/image.js';
import { findSamplesDir, loadRealSampleFingerprints } from '../helpers/golden.js';

const samples = findSamplesDir();
const reason = samples === null ? ' (skipped: no ChestX-ray8 samples; set XRAY_SAMPLES)' : '';

/** Decodes the 8-bit gray PNG with pngjs directly (src/io/png.ts is tested on its own). */
function decodeGrayPng(path: string): Image2D<Uint8Array> {
  const png = PNG.sync.read(readFileSync(path), { skipRescale: true });
  const gray = new Uint8Array(png.width * png.height);
  for (let i = 0; i < gray.length; i++) gray[i] = png.data[4 * i]; // RGBA expanded from gray: R = G = B
  return imageFrom(png.width, png.height, gray);
}

describe.skipIf(samples === null)(`cpu engine on 00000011_001.png${reason}`, () => {
  const load = () => decodeGrayPng(join(samples!, '00000011_001.png'));
  const fingerprints = loadRealSampleFingerprints();

  it('decodes to 1024x1024 with min 0, max 255, mean 172.52233219146729 and median 195', async () => {
    const image = load();
    expect([image.width, image.height]).toEqual([1024, 1024]);
    const stats = await createCpuEngine().stats(image);
    expect(stats).toEqual({ min: 0, max: 255, mean: 172.52233219146729, median: 195 });
    expect(stats).toEqual(fingerprints.stats);
  });

  it("counts the tutorial's 256-bin histogram exactly like ndimage.histogram", async () => {
    const { min, max, bins, counts } = fingerprints.histogram;
    expect(Array.from(await createCpuEngine().histogram(load(), { min, max, bins }))).toEqual(counts);
  });

  for (const fingerprint of fingerprints.outputs) {
    it(`matches SciPy within 1e-9 of the range for ${JSON.stringify(fingerprint.request)}`, async () => {
      const [result] = await createCpuEngine().run(load(), [fingerprint.request]);
      const allowed = 1e-9 * Math.max(1, fingerprint.max - fingerprint.min);
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const v of result.data) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      expect(Math.abs(min - fingerprint.min)).toBeLessThanOrEqual(allowed);
      expect(Math.abs(max - fingerprint.max)).toBeLessThanOrEqual(allowed);
      // A sum over 2^20 pixels accumulates rounding: allow the per-pixel bound times sqrt(n).
      expect(Math.abs(sum - fingerprint.sum)).toBeLessThanOrEqual(allowed * 1024);
      fingerprints.positions.forEach(([row, column], i) => {
        expect(Math.abs(result.data[row * result.width + column] - fingerprint.values[i]), `pixel (${row}, ${column})`).toBeLessThanOrEqual(allowed);
      });
    });
  }
});

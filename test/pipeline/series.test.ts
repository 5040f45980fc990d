/**
 * `xray-gpu run <samples folder> --out DIR --engine cpu`: the 9 follow-ups of patient 00000011 as a
 * series. One test on purpose: it is nine full 1024x1024 images. Skipped without the samples.
 */
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSamplesDir } from '../helpers/golden.js';
import { decodeGif } from '../io/gif-decoder.js';
import { assertBuilt, readGray8, tempDir, validPngSize, xray } from './helpers.js';

const samples = findSamplesDir();
if (!samples) console.warn('series run on the real samples skipped: no samples (set XRAY_SAMPLES or add ../shared/data/chestxray8-sample)');

describe.skipIf(!samples)('xray-gpu run <samples folder> (9 follow-ups, real samples)', () => {
  const out = tempDir('series');
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes every image, the series GIF of the 9 follow-ups in natural order, the strip and a top report', async () => {
    assertBuilt();
    const names = Array.from({ length: 9 }, (_, i) => `00000011_00${i}.png`);
    const run = await xray(['run', samples!, '--out', out, '--engine', 'cpu', '--duration', '300'], 300_000);
    expect(run.timedOut, `did not finish in 300 s: ${run.stderr}`).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    console.info(`run on the 9 samples (cpu): ${(run.ms / 1000).toFixed(1)} s`);

    // One folder per image, named after the file, each with its comparison figure and report.
    const entries = readdirSync(out);
    for (const name of names) {
      const folder = name.replace('.png', '');
      expect(entries).toContain(folder);
      expect(readdirSync(join(out, folder))).toEqual(expect.arrayContaining(['comparison.png', 'report.html', 'stats.json']));
    }
    expect(entries).toEqual(expect.arrayContaining(['series.gif', 'series-strip.png', 'report.html']));

    // The GIF: 9 frames in the samples' order, each frame exactly the decoded sample, 300 ms each.
    const gif = decodeGif(new Uint8Array(readFileSync(join(out, 'series.gif'))));
    expect([gif.width, gif.height]).toEqual([1024, 1024]);
    expect(gif.frames).toHaveLength(9);
    gif.frames.forEach((frame, i) => {
      const sample = readGray8(join(samples!, names[i]));
      const gray = new Uint8Array(frame.indices.length);
      for (let p = 0; p < gray.length; p++) {
        const [r, g, b] = frame.palette[frame.indices[p]];
        if (r !== g || g !== b) throw new Error(`frame ${i}: pixel ${p} is not gray (${r}, ${g}, ${b})`);
        gray[p] = r;
      }
      expect(Buffer.compare(gray, sample), `frame ${i} equals ${names[i]}`).toBe(0);
      expect(frame.delayCs).toBe(30);
    });

    // The strip: one row of 9 frames, wider than tall.
    const strip = validPngSize(join(out, 'series-strip.png'));
    expect(strip.width).toBeGreaterThan(9 * 100);
    expect(strip.width).toBeGreaterThan(3 * strip.height);

    // The top report holds the strip and a shrunk GIF inline (linked to series.gif), and links each image's report.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(readFileSync(join(out, 'series-strip.png')).toString('base64'));
    expect(html).toContain('<a href="series.gif"><img src="data:image/gif;base64,');
    for (const name of names) expect(html).toContain(name);
    for (const name of names) expect(html).toContain(`<a href="${name.replace('.png', '')}/report.html">`);
    expect(statSync(join(out, 'report.html')).size).toBeLessThan(5_000_000);
  }, 320_000);
});

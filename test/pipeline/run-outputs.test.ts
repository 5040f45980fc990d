/**
 * `xray-gpu run` picks what it writes: `--outputs` (the filter outputs, by op name), `--no-figures`,
 * `--no-report`; the top report of several images links each image's own report.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { encodePng } from '../../src/io/png.js';
import { applyColormap, loadColormap } from '../../src/render/colormap.js';
import { assertBuilt, readRgba, tempDir, xray } from './helpers.js';

const WIDTH = 37;
const HEIGHT = 53;
const pixels = (k: number) => Uint8Array.from({ length: WIDTH * HEIGHT }, (_, i) => ((i % WIDTH) * 5 + Math.floor(i / WIDTH) * 3 + k * 40) % 256);

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = tempDir('run-outputs');
  for (const k of [1, 2]) writeFileSync(join(dir, `in${k}.png`), encodePng({ width: WIDTH, height: HEIGHT, data: pixels(k) }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xray-gpu run output selection', () => {
  it('--outputs sobel-magnitude,canny --no-figures writes those panels, stats.json and the report, nothing else', async () => {
    const out = join(dir, 'picked');
    const run = await xray(['run', join(dir, 'in1.png'), '--engine', 'cpu', '--out', out, '--outputs', 'sobel-magnitude,canny', '--no-figures', '--npy']);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      ['canny.npy', 'canny.png', 'original.png', 'report.html', 'sobel-magnitude-CMRmap.png', 'sobel-magnitude-gray.png', 'sobel-magnitude-hot.png', 'sobel-magnitude.npy', 'stats.json'].sort(),
    );
    // The report still shows the histogram plot (inlined), but links no histogram.png.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Pixel intensity histogram');
    expect(html).not.toContain('href="histogram.png"');
  });

  it('--no-report writes no report.html and prints no report line', async () => {
    const out = join(dir, 'no-report');
    const run = await xray(['run', join(dir, 'in1.png'), '--engine', 'cpu', '--out', out, '--no-report']);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    expect(existsSync(join(out, 'comparison.png'))).toBe(true);
    expect(run.stderr).not.toContain('report:');
  });

  it('several images: the top report links each per-image report and embeds no per-image figure', async () => {
    const out = join(dir, 'two');
    const run = await xray(['run', join(dir, 'in1.png'), join(dir, 'in2.png'), '--engine', 'cpu', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const links = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual(['series-strip.png', 'series.gif', 'in1/report.html', 'in2/report.html']);
    for (const link of links) expect(existsSync(join(out, link)), link).toBe(true);
    const comparison = readFileSync(join(out, 'in1', 'comparison.png')).toString('base64');
    expect(html.includes(comparison)).toBe(false);
  });

  it('several images with --no-report --no-figures: series.gif only at the top', async () => {
    const out = join(dir, 'two-lean');
    const run = await xray(['run', join(dir, 'in1.png'), join(dir, 'in2.png'), '--engine', 'cpu', '--out', out, '--no-report', '--no-figures']);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['in1', 'in2', 'series.gif']);
    expect(readdirSync(join(out, 'in2'))).not.toContain('report.html');
  });

  it.each([
    ['sobel', 'unknown output "sobel"; accepted: gaussian-laplace, gaussian-gradient-magnitude, sobel-magnitude, tutorial-canny, mask, mask-binary, canny.'],
    ['canny,canny', 'output "canny" is named twice in "canny,canny".'],
  ])('--outputs %s is a usage error (exit 2)', async (value, message) => {
    const run = await xray(['run', join(dir, 'in1.png'), '--engine', 'cpu', '--out', join(dir, 'bad'), '--outputs', value]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('xray-gpu run colours', () => {
  it('--sobel-cmaps takes any matplotlib colormap (bone, gray_r), coloured as applyColormap (matplotlib)', async () => {
    const out = join(dir, 'bone');
    const run = await xray(['run', join(dir, 'in1.png'), '--engine', 'cpu', '--out', out, '--outputs', 'sobel-magnitude', '--sobel-cmaps', 'bone,gray_r', '--no-report', '--no-figures', '--npy']);
    expect(run.status, run.stderr).toBe(0);
    const values = decodeNpy(new Uint8Array(readFileSync(join(out, 'sobel-magnitude.npy'))), 'npy').data as Float32Array;
    for (const cmap of ['bone', 'gray_r']) {
      await loadColormap(cmap);
      expect(readRgba(join(out, `sobel-magnitude-${cmap}.png`)).data).toEqual(applyColormap(values, cmap));
    }
  });

  it('--clip-percentile 5,95 colours each filter panel over its own 5th..95th percentiles; the original keeps its range', async () => {
    const base = ['run', join(dir, 'in1.png'), '--engine', 'cpu', '--outputs', 'gaussian-laplace', '--no-report', '--no-figures', '--npy'];
    const out = join(dir, 'clip');
    const run = await xray([...base, '--out', out, '--clip-percentile', '5,95']);
    expect(run.status, run.stderr).toBe(0);
    const values = decodeNpy(new Uint8Array(readFileSync(join(out, 'gaussian-laplace.npy'))), 'npy').data as Float32Array;
    expect(readRgba(join(out, 'gaussian-laplace.png')).data).toEqual(applyColormap(values, 'gray', { clipPercentile: [5, 95] }));
    const plain = join(dir, 'plain');
    expect((await xray([...base, '--out', plain])).status).toBe(0);
    expect(readRgba(join(out, 'gaussian-laplace.png')).data).not.toEqual(readRgba(join(plain, 'gaussian-laplace.png')).data);
    expect(readFileSync(join(out, 'original.png')).equals(readFileSync(join(plain, 'original.png')))).toBe(true);
  });

  it('--vmin/--vmax set the range of every filter panel', async () => {
    const out = join(dir, 'vrange');
    const run = await xray(['run', join(dir, 'in1.png'), '--engine', 'cpu', '--out', out, '--outputs', 'sobel-magnitude', '--sobel-cmaps', 'hot', '--vmin', '10', '--vmax', '100', '--no-report', '--no-figures', '--npy']);
    expect(run.status, run.stderr).toBe(0);
    const values = decodeNpy(new Uint8Array(readFileSync(join(out, 'sobel-magnitude.npy'))), 'npy').data as Float32Array;
    expect(readRgba(join(out, 'sobel-magnitude-hot.png')).data).toEqual(applyColormap(values, 'hot', { vmin: 10, vmax: 100 }));
  });
});

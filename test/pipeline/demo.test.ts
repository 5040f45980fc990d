/**
 * `xray-gpu demo` (what `npm start` runs) on a small synthetic series, and how `run` reports a bad
 * input among good ones. Each command is a child process with a deadline: a process that does not
 * exit by itself (a Dawn instance kept alive, a timer left running) fails the test.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/io/png.js';
import { syntheticSeries } from '../../src/synthetic/phantom.js';
import { decodeGif } from '../io/gif-decoder.js';
import { assertBuilt, readGray8, tempDir, validPngSize, xray } from './helpers.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = tempDir('demo');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PER_IMAGE_FILES = ['original.png', 'sobel-magnitude-CMRmap.png', 'tutorial-canny-prism.png', 'mask-binary.png', 'histogram.png', 'stats.json', 'comparison.png', 'report.html'];
const STAGES = ['synthetic images', 'filters', 'stats + histogram', 'colour + PNG encode', 'figures', 'report', 'series GIF + strip'];

describe('xray-gpu demo', () => {
  it('writes the synthetic series and every output, prints engine, time per stage and where things are, and exits by itself', async () => {
    const out = join(dir, 'demo');
    const run = await xray(['demo', '--size', '256', '--follow-ups', '3', '--engine', 'cpu', '--out', out], 120_000);
    expect(run.timedOut, 'the demo did not exit by itself within 120 s').toBe(false);
    expect(run.status, run.stderr).toBe(0);

    const names = ['synthetic_000', 'synthetic_001', 'synthetic_002'];
    expect(readdirSync(join(out, 'inputs'))).toEqual(names.map((name) => `${name}.png`));
    const series = syntheticSeries({ size: 256, followUps: 3 });
    names.forEach((name, i) => {
      expect(Buffer.compare(readGray8(join(out, 'inputs', `${name}.png`)), series[i].data), `${name} is frame ${i} of the series`).toBe(0);
      for (const file of PER_IMAGE_FILES) expect(existsSync(join(out, name, file)), `${name}/${file}`).toBe(true);
      expect(validPngSize(join(out, name, 'sobel-magnitude-CMRmap.png'))).toEqual({ width: 256, height: 256 });
    });
    expect(decodeGif(new Uint8Array(readFileSync(join(out, 'series.gif')))).frames).toHaveLength(3);
    validPngSize(join(out, 'series-strip.png'));

    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('engine: cpu (float64 reference, WebAssembly SIMD)');
    expect(lines).toContain('time per stage (all images):');
    for (const stage of STAGES) expect(run.stdout).toMatch(new RegExp(`^  ${stage.replace(/[+]/g, '\\+')} +\\d+\\.\\d\\d s$`, 'm'));
    expect(run.stdout).toMatch(/^total: \d+\.\d\d s$/m);
    expect(lines).toEqual(
      expect.arrayContaining([
        `outputs: ${out} (one folder per image)`,
        `series GIF: ${join(out, 'series.gif')}`,
        `follow-up strip: ${join(out, 'series-strip.png')}`,
        `comparison figure: ${join(out, 'synthetic_000', 'comparison.png')}`,
        `report: ${join(out, 'report.html')}`,
      ]),
    );
    // Progress goes to stderr, one line per image.
    expect(run.stderr).toMatch(/\[1\/3\] synthetic_000\.png: \d+\.\d\d s/);
    expect(run.stderr).toMatch(/\[3\/3\] synthetic_002\.png: \d+\.\d\d s/);
  });

  it('with --quiet prints only the summary on stdout and nothing on stderr', async () => {
    const out = join(dir, 'quiet');
    const run = await xray(['demo', '--size', '64', '--follow-ups', '2', '--engine', 'cpu', '--quiet', '--out', out], 120_000);
    expect(run.timedOut, 'the demo did not exit by itself within 120 s').toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('engine: cpu (float64 reference, WebAssembly SIMD)');
    expect(lines.at(-1)).toBe(`report: ${join(out, 'report.html')}`);
    expect(run.stdout).not.toMatch(/\[\d+\/\d+\]/); // no progress lines
    expect(existsSync(join(out, 'series.gif'))).toBe(true);
  });

  it('on the default engine (auto, as npm start runs it) exits by itself, and --quiet keeps its own lines off stderr', async () => {
    const out = join(dir, 'auto');
    const run = await xray(['demo', '--size', '64', '--follow-ups', '2', '--quiet', '--out', out], 120_000);
    expect(run.timedOut, 'the demo did not exit by itself within 120 s (a GPU instance kept alive?)').toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^engine: (cpu|gpu)/);
    expect(run.stdout).toContain(`report: ${join(out, 'report.html')}`);
    // Vulkan drivers and Dawn may print their own warnings while adapters are probed (not ours to
    // silence); none of xray-gpu's progress or engine lines may appear.
    expect(run.stderr).not.toMatch(/^(engine:|synthetic series:|series:|report:|xray-gpu:|\[\d+\/\d+\])/m);
  });
});

describe('xray-gpu run with a corrupt input among good ones', () => {
  it('writes the good images, names the bad one on stderr and exits 1', async () => {
    const inputs = join(dir, 'mixed');
    const out = join(dir, 'mixed-out');
    const [a, b] = syntheticSeries({ size: 64, followUps: 2 });
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'scan_1.png'), encodePng(a));
    writeFileSync(join(inputs, 'scan_2.png'), encodePng(a).subarray(0, 100)); // truncated
    writeFileSync(join(inputs, 'scan_3.png'), encodePng(b));
    const run = await xray(['run', inputs, '--out', out, '--engine', 'cpu', '--quiet']);
    expect(run.status).toBe(1);
    const errors = run.stderr.trimEnd().split('\n');
    expect(errors[0]).toContain('[2/3] scan_2.png: FAILED:');
    expect(errors[0]).toContain(join(inputs, 'scan_2.png'));
    expect(errors.at(-1)).toBe('xray-gpu: 1 of 3 images failed: scan_2.png');
    for (const good of ['scan_1', 'scan_3']) {
      for (const file of PER_IMAGE_FILES) expect(existsSync(join(out, good, file)), `${good}/${file}`).toBe(true);
    }
    expect(existsSync(join(out, 'scan_2'))).toBe(false);
    // The series and the top report cover the good images and say which one failed.
    expect(decodeGif(new Uint8Array(readFileSync(join(out, 'series.gif')))).frames).toHaveLength(2);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Failed: scan_2.png');
  });

  it('fails a single unreadable input without claiming a report', async () => {
    const out = join(dir, 'single-missing');
    const missing = join(dir, 'nope.png');
    const run = await xray(['run', missing, '--out', out, '--engine', 'cpu']);
    expect(run.status).toBe(1);
    // A missing input is refused before anything is written (issue 14): one line, and no --out.
    expect(run.stderr).toBe(`xray-gpu: ${missing}: no such file or directory\n`);
    expect(run.stderr).not.toContain('report:');
    expect(existsSync(out)).toBe(false);
  });
});

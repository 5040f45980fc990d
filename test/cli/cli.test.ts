/**
 * The built command line (`node dist/src/cli/main.js`; `npm test` builds first, or run
 * `npm run build`). Each test spawns the real executable and checks its exit status and output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { OP_NAMES } from '../../src/filters/ops.js';
import { scaleToUint8 } from '../../src/io/image-file.js';
import { decodeNpy } from '../../src/io/npy.js';
import { decodePng, encodePng } from '../../src/io/png.js';
import { applyColormap } from '../../src/render/colormap.js';
import { roundStat } from '../../src/stats/record.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = join(root, 'dist/src/cli/main.js');
const samples = process.env.XRAY_SAMPLES ?? resolve(root, '../shared/data/chestxray8-sample');
const sample001 = join(samples, '00000011_001.png');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function xray(...args: string[]): Run {
  const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XRAY_DEBUG: '' },
    timeout: 60_000,
  });
  return { status, stdout, stderr };
}

let dir: string;
/** A 23x17 gray gradient with a bright square: small, odd-sized, not symmetric. */
const width = 23;
const height = 17;
const pixels = Uint8Array.from({ length: width * height }, (_, i) => {
  const x = i % width;
  const y = Math.floor(i / width);
  return x > 5 && x < 12 && y > 3 && y < 9 ? 250 : (x * 7 + y * 3) % 200;
});
let input: string;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" before these tests`);
  dir = mkdtempSync(join(tmpdir(), 'xray-cli-'));
  input = join(dir, 'input.png');
  writeFileSync(input, encodePng({ width, height, data: pixels }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('help and version', () => {
  it('prints the commands with --help and exits 0', () => {
    const run = xray('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: xray-gpu \[options\] \[command\]/);
    for (const command of ['filter', 'stats', 'info']) expect(run.stdout).toContain(`  ${command} `);
  });

  it("prints package.json's version with --version", () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const run = xray('--version');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('lists every op and boundary mode in filter --help', () => {
    const run = xray('filter', '--help');
    expect(run.status).toBe(0);
    const text = run.stdout.replace(/\s+/g, ' ');
    for (const op of OP_NAMES) expect(text).toContain(`"${op}"`);
    expect(text).toContain('"reflect", "mirror", "nearest", "constant", "wrap"');
  });
});

describe('usage errors exit 2 with one line saying what is accepted', () => {
  it('rejects an unknown option', () => {
    const run = xray('filter', input, '--op', 'sobel', '--bogus', '--out', join(dir, 'x.npy'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^xray-gpu: unknown option '--bogus'\n\(run "xray-gpu filter --help" for usage\)\n$/);
  });

  it('rejects a bad --mode, listing the modes', () => {
    const run = xray('filter', input, '--op', 'sobel', '--mode', 'reflekt', '--out', join(dir, 'x.npy'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "xray-gpu: option '--mode <mode>' argument 'reflekt' is invalid. Allowed choices are reflect, mirror, nearest, constant, wrap.",
    );
  });

  it('rejects a --sigma that is not a number or a pair', () => {
    expect(xray('filter', input, '--op', 'gaussian', '--sigma', 'two', '--out', 'x.npy').stderr).toContain(
      `argument 'two' is invalid. expected a finite number, got "two".`,
    );
    expect(xray('filter', input, '--op', 'gaussian', '--sigma', '1,2,3', '--out', 'x.npy').stderr).toContain(
      'expected one number or two separated by a comma (rows,columns), got "1,2,3".',
    );
  });

  it('rejects --axis other than 0, 1, -1 or -2', () => {
    const run = xray('filter', input, '--op', 'sobel', '--axis', '2', '--out', 'x.npy');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected 0 or -2 (rows), 1 or -1 (columns), got "2".');
  });

  it('rejects an option the op does not take, with the op validation message', () => {
    const run = xray('filter', input, '--op', 'sobel', '--sigma', '2', '--out', join(dir, 'x.npy'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^xray-gpu: op sobel does not take sigma; it takes axis, mode, cval\n/);
  });

  it('requires --op and --out, and an output ending in .npy or .png', () => {
    expect(xray('filter', input, '--out', 'x.npy').stderr).toMatch(/^xray-gpu: --op is required: one of gaussian, /);
    expect(xray('filter', input, '--op', 'sobel').stderr).toMatch(/^xray-gpu: --out is required: FILE\.npy or FILE\.png\n/);
    const run = xray('filter', input, '--op', 'sobel', '--out', join(dir, 'x.tiff'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--out must end in .npy or .png, got');
    expect(xray('filter', input, '--op', 'sobel', '--cmap', 'viridis', '--out', 'x.npy').stderr).toContain(
      '--cmap applies to .png output only',
    );
  });

  it('rejects a --range with MIN > MAX', () => {
    const run = xray('stats', input, '--range', '9,3');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('expected MIN <= MAX, got "9,3".');
  });
});

describe('runtime errors exit 1 with the file named and no stack trace', () => {
  it('reports a missing input file', () => {
    const missing = join(dir, 'missing.png');
    const run = xray('filter', missing, '--op', 'sobel', '--engine', 'cpu', '--out', join(dir, 'x.npy'));
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`xray-gpu: ${missing}: no such file\n`);
  });

  it('reports a file that is not a PNG, with a stack trace only under --verbose', () => {
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, 'not a png');
    const run = xray('stats', bad, '--engine', 'cpu');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`xray-gpu: ${bad}: not a PNG file (bad signature)\n`);
    const verbose = xray('stats', bad, '--engine', 'cpu', '--verbose');
    expect(verbose.status).toBe(1);
    expect(verbose.stderr).toContain('    at ');
  });
});

describe('filter', () => {
  it('writes the CPU engine result as float32 .npy, saying on stderr which engine ran', async () => {
    const out = join(dir, 'gauss.npy');
    const run = xray('filter', input, '--op', 'gaussian', '--sigma', '2,1', '--mode', 'nearest', '--engine', 'cpu', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^engine: cpu/);
    const written = decodeNpy(readFileSync(out));
    expect(written.shape).toEqual([height, width]);
    expect(written.dtype).toBe('float32');
    const engine = createCpuEngine();
    const [expected] = await engine.run({ width, height, data: pixels }, [{ op: 'gaussian', sigma: [2, 1], mode: 'nearest' }]);
    await engine.dispose();
    expect(written.data).toEqual(Float32Array.from(expected.data));
  });

  it('passes every given parameter on: a different --threshold gives a different mask', () => {
    const low = join(dir, 'low.npy');
    const high = join(dir, 'high.npy');
    expect(xray('filter', input, '--op', 'mask-binary', '--threshold', '50', '--engine', 'cpu', '--out', low).status).toBe(0);
    expect(xray('filter', input, '--op', 'mask-binary', '--threshold', '150', '--engine', 'cpu', '--out', high).status).toBe(0);
    const count = (path: string) => Array.from(decodeNpy(readFileSync(path)).data).filter((v) => v === 1).length;
    expect(count(low)).toBe(pixels.filter((v) => v > 50).length);
    expect(count(high)).toBe(pixels.filter((v) => v > 150).length);
  });

  it('writes .png min-max scaled to 8 bits, and RGBA with --cmap', async () => {
    const engine = createCpuEngine();
    const [expected] = await engine.run({ width, height, data: pixels }, [{ op: 'sobel', axis: 1 }]);
    await engine.dispose();
    const gray = join(dir, 'sobel.png');
    expect(xray('filter', input, '--op', 'sobel', '--axis', '1', '--engine', 'cpu', '--out', gray).status).toBe(0);
    const decoded = decodePng(readFileSync(gray), gray);
    expect(decoded.data).toEqual(scaleToUint8(expected).data);
    expect(Math.min(...decoded.data)).toBe(0);
    expect(Math.max(...decoded.data)).toBe(255);
    const coloured = join(dir, 'sobel-viridis.png');
    expect(xray('filter', input, '--op', 'sobel', '--axis', '1', '--engine', 'cpu', '--cmap', 'viridis', '--out', coloured).status).toBe(0);
    const rgba = pngjs.PNG.sync.read(readFileSync(coloured));
    expect(new Uint8Array(rgba.data)).toEqual(applyColormap(expected.data, 'viridis'));
  });
});

describe('stats', () => {
  it('prints the stats and the histogram over the image range as JSON, matching the CPU engine', async () => {
    const run = xray('stats', input, '--json', '--engine', 'cpu');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const engine = createCpuEngine();
    const image = { width, height, data: pixels };
    const stats = await engine.stats(image);
    const counts = await engine.histogram(image, { min: stats.min, max: stats.max, bins: 256 });
    const ranged = await engine.histogram(image, { min: 10, max: 100, bins: 9 });
    await engine.dispose();
    const printed = Object.fromEntries(Object.entries(stats).map(([key, value]) => [key, roundStat(value)]));
    expect(report).toMatchObject({ schema: 'xray-gpu/stats@1', file: input, width, height, dtype: 'uint8', ...printed, histogram: { min: stats.min, max: stats.max, bins: 256, counts: Array.from(counts) } });
    expect(Object.keys(report.percentiles)).toEqual(['p1', 'p5', 'p25', 'p75', 'p95', 'p99']);
    const custom = JSON.parse(xray('stats', input, '--json', '--engine', 'cpu', '--range', '10,100', '--bins', '9').stdout);
    expect(custom.histogram).toEqual({ min: 10, max: 100, bins: 9, counts: Array.from(ranged) });
  });

  it.skipIf(!existsSync(sample001))(`gives the tutorial's stats for 00000011_001.png (skipped without ${samples})`, () => {
    const run = xray('stats', sample001, '--json', '--engine', 'cpu');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    // NumPy's figures, printed to 12 significant digits (docs/stats.md): np.std(x) = 61.686462989192265.
    expect(report).toMatchObject({ width: 1024, height: 1024, dtype: 'uint8', min: 0, max: 255, mean: 172.522332191, median: 195, std: 61.6864629892 });
    expect(report.percentiles).toEqual({ p1: 1, p5: 16, p25: 140, p75: 218, p95: 238, p99: 244 });
    expect(report.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(1024 * 1024);
  });
});

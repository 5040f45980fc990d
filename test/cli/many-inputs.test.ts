/**
 * The CLI as a new user meets it (issue 13, items 4, 7 and 8), through the built binary: `stats` and
 * `filter` on several inputs, `--vmin`/`--vmax`/`--clip-percentile`, `xray-gpu ops` and
 * `filter --list-ops`, and every option's help saying its default.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { OP_SPECS } from '../../src/filters/op-specs.js';
import { OP_NAMES } from '../../src/filters/ops.js';
import type { Image2D } from '../../src/image.js';
import { scaleToUint8 } from '../../src/io/image-file.js';
import { decodeNpy } from '../../src/io/npy.js';
import { decodePng, encodePng } from '../../src/io/png.js';
import { STATS_SCHEMA } from '../../src/stats/record.js';
import { REPO_ROOT } from '../helpers/golden.js';

const cli = join(REPO_ROOT, 'dist/src/cli/main.js');
function xray(...args: string[]) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, XRAY_DEBUG: '' }, timeout: 60_000 });
  return { status, stdout, stderr };
}

const width = 21;
const height = 15;
const image = (k: number): Image2D<Uint8Array> => ({
  width,
  height,
  // A gradient with a few extreme pixels, so percentile clipping changes the picture.
  data: Uint8Array.from({ length: width * height }, (_, i) => (i % 97 === 0 ? 255 : ((i % width) * 4 + Math.floor(i / width) * 3 + k * 9) % 200)),
});
let dir: string;
let a: string;
let b: string;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" before these tests`);
  dir = mkdtempSync(join(tmpdir(), 'xray-many-'));
  mkdirSync(join(dir, 'x'));
  mkdirSync(join(dir, 'y'));
  a = join(dir, 'x', 'scan.png');
  b = join(dir, 'y', 'scan.png'); // the same name in another folder
  writeFileSync(a, encodePng(image(1)));
  writeFileSync(b, encodePng(image(2)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sobel(k: number) {
  const engine = createCpuEngine();
  const [result] = await engine.run(image(k), [{ op: 'sobel' }]);
  await engine.dispose();
  return result;
}

describe('stats on several inputs', () => {
  it('--json prints one record per line per file, each with std and percentiles', () => {
    const run = xray('stats', a, b, '--json', '--engine', 'cpu');
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const records = lines.map((line) => JSON.parse(line) as { schema: string; file: string; std: number; percentiles: Record<string, number> });
    expect(records.map((r) => r.file)).toEqual([a, b]);
    for (const record of records) {
      expect(record.schema).toBe(STATS_SCHEMA);
      expect(record.std).toBeGreaterThan(0);
      expect(Object.keys(record.percentiles)).toEqual(['p1', 'p5', 'p25', 'p75', 'p95', 'p99']);
    }
  });

  it('text output: one block per file with std and percentiles', () => {
    const run = xray('stats', a, b, '--engine', 'cpu');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.match(/^file /gm)).toHaveLength(2);
    expect(run.stdout.match(/^std +\d/gm)).toHaveLength(2);
    expect(run.stdout.match(/^percentiles p1 /gm)).toHaveLength(2);
  });

  it('a bad input fails alone: the others are printed, the failure named, exit 1', () => {
    const missing = join(dir, 'missing.png');
    const run = xray('stats', a, missing, '--json', '--engine', 'cpu');
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(missing);
    expect(run.stderr).toContain(`xray-gpu: 1 of 2 inputs failed: ${missing}`);
  });
});

describe('filter on several inputs', () => {
  it('--out DIR/ writes DIR/<name>.<op label>.<format> per input, names made unique', async () => {
    const out = join(dir, 'filtered');
    const run = xray('filter', a, b, '--op', 'sobel', '--engine', 'cpu', '--format', 'npy', '--out', `${out}/`);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['scan-2.sobel.npy', 'scan.sobel.npy']);
    for (const [file, k] of [['scan.sobel.npy', 1], ['scan-2.sobel.npy', 2]] as const) {
      const written = decodeNpy(new Uint8Array(readFileSync(join(out, file))), file);
      expect(Array.from(written.data as Float32Array)).toEqual(Array.from(Float32Array.from((await sobel(k)).data)));
    }
  });

  it('labels outputs with the parameters given, as batch does, and defaults to PNG', () => {
    const out = join(dir, 'labelled');
    const run = xray('filter', join(dir, 'x'), '--op', 'gaussian', '--sigma', '2,1', '--engine', 'cpu', '--out', `${out}/`);
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(['scan.gaussian-sigma2_1.png']);
  });

  it('several inputs to one file is a usage error saying to give a folder', () => {
    const run = xray('filter', a, b, '--op', 'sobel', '--out', join(dir, 'one.png'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is one file but there are 2 inputs: give a folder');
  });
});

describe('filter --vmin, --vmax, --clip-percentile', () => {
  it('--vmin/--vmax set the range the 8-bit levels span (values beyond clipped)', async () => {
    const out = join(dir, 'vrange.png');
    const run = xray('filter', a, '--op', 'sobel', '--engine', 'cpu', '--vmin', '-100', '--vmax', '300', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const written = decodePng(new Uint8Array(readFileSync(out)), out).data;
    const expected = scaleToUint8(await sobel(1), { vmin: -100, vmax: 300 }).data;
    expect(Array.from(written)).toEqual(Array.from(expected));
    expect(Array.from(written)).not.toEqual(Array.from(scaleToUint8(await sobel(1)).data));
  });

  it('--clip-percentile 5,95 takes the range from the data', async () => {
    const out = join(dir, 'clipped.png');
    const run = xray('filter', a, '--op', 'sobel', '--engine', 'cpu', '--clip-percentile', '5,95', '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const expected = scaleToUint8(await sobel(1), { clipPercentile: [5, 95] }).data;
    expect(Array.from(decodePng(new Uint8Array(readFileSync(out)), out).data)).toEqual(Array.from(expected));
  });

  it.each([
    [['--vmin', '5', '--vmax', '1'], '--vmin must be <= --vmax, got 5 > 1'],
    [['--clip-percentile', '1,99', '--vmin', '0'], '--clip-percentile sets vmin and vmax from the data; give it or --vmin/--vmax, not both'],
    [['--clip-percentile', '99,1'], 'expected MIN <= MAX'],
    [['--clip-percentile', '0,120'], 'expected LOW,HIGH with 0 <= LOW < HIGH <= 100, got "0,120"'],
  ])('%j is a usage error: %s', (args, message) => {
    const run = xray('filter', a, '--op', 'sobel', '--out', join(dir, 'bad.png'), ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('with .npy output they are a usage error (the raw values are not scaled)', () => {
    const run = xray('filter', a, '--op', 'sobel', '--vmin', '0', '--out', join(dir, 'raw.npy'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--vmin applies to .png output only');
  });
});

describe('the op table and help', () => {
  it('xray-gpu ops and filter --list-ops list every op with its parameters, defaults and SciPy equivalent', () => {
    const ops = xray('ops');
    expect(ops.status, ops.stderr).toBe(0);
    for (const op of OP_NAMES) {
      const spec = OP_SPECS[op];
      expect(ops.stdout).toContain(`${op}: ${spec.summary}\n  as ${spec.equivalent}`);
      for (const param of spec.params) expect(ops.stdout).toMatch(new RegExp(`\\n  ${param.flag} +default ${param.defaultText.replace(/[()%.*+?]/g, '\\$&')};`));
    }
    const list = xray('filter', '--list-ops');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toBe(ops.stdout);
    const json = JSON.parse(xray('ops', '--json').stdout) as { op: string }[];
    expect(json.map((o) => o.op)).toEqual([...OP_NAMES]);
  });

  it('every option that takes a value says its default (or that it is required) in --help, on every command', () => {
    const top = xray('--help').stdout;
    const commands = [...top.split('Commands:')[1].matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands).toContain('ops');
    const missing: string[] = [];
    for (const command of commands) {
      const help = xray(command, '--help').stdout;
      const options = help.split('Options:')[1].split('Commands:')[0];
      for (const entry of options.split(/\n(?= {2}-)/).map((e) => e.replace(/\s+/g, ' ').trim())) {
        if (/^-[^ ]*( -[^ ]*)? <[^>]+>/.test(entry.replace(/^-\w, /, '')) && !/default|required/i.test(entry)) missing.push(`${command} ${entry.slice(0, 60)}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('filter --help gives each parameter its ops, accepted values and default per op', () => {
    const help = xray('filter', '--help').stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--mode <mode> how the image extends beyond its border (every op but fourier-gaussian, mask, mask-binary, resize, clahe); default: reflect; constant for canny');
    expect(help).toContain('--axis <axis> the derivative axis (sobel, prewitt); accepts 0 or -2 (rows, y), 1 or -1 (columns, x); default: -1 (columns, x)');
    expect(help).toMatch(/--sigma <s> .*default: 1; 0\.05 for fourier-gaussian, tutorial-canny; 2 for gaussian-gradient-magnitude \(SciPy\/skimage have another or none/);
  });

  it('bench --help says where results go (a relative --out is under the current folder)', () => {
    const help = xray('bench', '--help').stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--out <dir> where results.json, results.md and chart.png go; a relative path is under the current folder (default: "xray-gpu-bench")');
  });
});

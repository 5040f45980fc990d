/**
 * `xray-gpu prepare` through the built CLI on small synthetic trees: shards and index, resume,
 * shard + merge, a bad file, and usage errors. (The real-sample oracles are in prepare-samples.test.ts.)
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/io/png.js';
import { runCli, syntheticImage, writeSyntheticPngs } from '../batch/cli-helpers.js';
import { readShard } from './shard-reader.js';

let root: string;
let input: string;
const names = Array.from({ length: 7 }, (_, i) => `p${i + 1}.png`);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'xray-prepare-'));
  input = path.join(root, 'in');
  await writeSyntheticPngs(input, 'a', names.slice(0, 4), 40, 3);
  await writeSyntheticPngs(input, 'b', names.slice(4), 40, 9);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const base = ['--size', '12x10', '--engine', 'cpu', '--jobs', '2', '--quiet'];

async function prepare(out: string, ...extra: string[]) {
  return runCli(['prepare', input, '--out', out, ...base, ...extra]);
}

async function shardBytes(out: string): Promise<Record<string, Buffer>> {
  const files = (await readdir(out)).filter((f) => f.endsWith('.npy')).sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(path.join(out, f))] as const)));
}

describe('prepare (synthetic tree)', () => {
  it('writes shards of --shard-size inputs in walk order, index.csv and prepare.json', async () => {
    const out = path.join(root, 'plain');
    const run = await prepare(out, '--shard-size', '3', '--dtype', 'float16', '--normalize', 'xrv');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const shards = await shardBytes(out);
    expect(Object.keys(shards)).toEqual(['images-00000.npy', 'images-00001.npy', 'images-00002.npy']);
    const first = await readShard(path.join(out, 'images-00000.npy'));
    expect(first.descr).toBe('<f2');
    expect(first.shape).toEqual([3, 12, 10]);
    // xrv: levels 0..255 become [-1024, 1024].
    expect(Math.min(...first.values)).toBeGreaterThanOrEqual(-1024);
    expect(Math.max(...first.values)).toBeLessThanOrEqual(1024);
    expect(Math.max(...first.values) - Math.min(...first.values)).toBeGreaterThan(500);
    expect((await readShard(path.join(out, 'images-00002.npy'))).shape).toEqual([1, 12, 10]);
    const index = (await readFile(path.join(out, 'index.csv'), 'utf8')).trim().split('\n');
    expect(index).toEqual([
      'file,shard,row',
      'a/p1.png,images-00000.npy,0',
      'a/p2.png,images-00000.npy,1',
      'a/p3.png,images-00000.npy,2',
      'a/p4.png,images-00001.npy,0',
      'b/p5.png,images-00001.npy,1',
      'b/p6.png,images-00001.npy,2',
      'b/p7.png,images-00002.npy,0',
    ]);
    const summary = JSON.parse(await readFile(path.join(out, 'prepare.json'), 'utf8'));
    expect(summary.settings).toEqual({ height: 12, width: 10, resize: 'skimage', crop: 'none', normalize: 'xrv', dtype: 'float16' });
    expect(summary.counts).toEqual({ inputs: 7, images: 7, failed: 0, shards: 3 });
    expect(summary.tool).toMatch(/^xray-gpu /);
  });

  it('--resume keeps complete shards and remakes a missing one byte for byte', async () => {
    const out = path.join(root, 'resume');
    expect((await prepare(out, '--shard-size', '3')).code).toBe(0);
    const before = await shardBytes(out);
    await rm(path.join(out, 'images-00001.npy'));
    const again = await runCli(['prepare', input, '--out', out, ...base.filter((a) => a !== '--quiet'), '--shard-size', '3', '--resume']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('3 ok, 0 failed, 4 skipped');
    expect(again.stdout).toContain('shards: 1 written, 2 already complete');
    expect(await shardBytes(out)).toEqual(before);
  });

  it('--resume refuses other settings', async () => {
    const out = path.join(root, 'resume-settings');
    expect((await prepare(out)).code).toBe(0);
    const other = await prepare(out, '--resume', '--normalize', 'unit');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/--resume: .*prepare-config\.json says the outputs there were made with other settings/);
  });

  it('--shard I/N on two "machines" and prepare merge give the unsharded dataset', async () => {
    const whole = path.join(root, 'whole');
    const split = path.join(root, 'split');
    expect((await prepare(whole, '--shard-size', '2')).code).toBe(0);
    const zero = await prepare(split, '--shard-size', '2', '--shard', '0/2');
    const one = await prepare(split, '--shard-size', '2', '--shard', '1/2');
    expect([zero.code, one.code]).toEqual([0, 0]);
    expect(await readdir(split)).not.toContain('index.csv');
    expect(Object.keys(await shardBytes(split))).toEqual(Object.keys(await shardBytes(whole)));
    const merged = await runCli(['prepare', 'merge', split]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('merged 4 shard(s): 7 images, 0 failed');
    expect(await shardBytes(split)).toEqual(await shardBytes(whole));
    expect(await readFile(path.join(split, 'index.csv'), 'utf8')).toBe(await readFile(path.join(whole, 'index.csv'), 'utf8'));
  });

  it('merge names the shards still missing', async () => {
    const split = path.join(root, 'half');
    expect((await prepare(split, '--shard-size', '2', '--shard', '1/2')).code).toBe(0);
    const merged = await runCli(['prepare', 'merge', split]);
    expect(merged.code).toBe(1);
    expect(merged.stderr).toContain('2 of 4 shard(s) are missing or incomplete (images-00000.npy, images-00002.npy)');
  });

  it('a corrupt file fails alone: listed with its reason, no row, exit status 1', async () => {
    const tree = path.join(root, 'with-bad');
    await writeSyntheticPngs(tree, '', ['x1.png', 'x3.png'], 30, 5);
    await writeFile(path.join(tree, 'x2.png'), Buffer.from('\x89PNG\r\n\x1a\nthis is not a png'));
    const out = path.join(root, 'bad-out');
    const run = await runCli(['prepare', tree, '--out', out, ...base.filter((a) => a !== '--quiet')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/prepare: x2\.png failed: .+/);
    expect(run.stderr).toContain('prepare: 1 image(s) failed (listed in prepare.json)');
    expect((await readShard(path.join(out, 'images-00000.npy'))).shape).toEqual([2, 12, 10]);
    const index = (await readFile(path.join(out, 'index.csv'), 'utf8')).trim().split('\n');
    expect(index).toEqual(['file,shard,row', 'x1.png,images-00000.npy,0', 'x3.png,images-00000.npy,1']);
    const summary = JSON.parse(await readFile(path.join(out, 'prepare.json'), 'utf8'));
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0].file).toBe('x2.png');
    expect(summary.failed[0].reason).not.toBe('');
    // The rows are x1 and x3 themselves: the same as a run without the bad file.
    const clean = path.join(root, 'clean');
    await rm(path.join(tree, 'x2.png'));
    expect((await runCli(['prepare', tree, '--out', clean, ...base])).code).toBe(0);
    expect(await shardBytes(clean)).toEqual(await shardBytes(out));
  });

  it('--normalize unit is none / 255 (float64) and xrv torchxrayvision\'s float32 formula; every option changes the shards (--crop: its own test; these inputs are square)', async () => {
    const run = async (name: string, ...extra: string[]) => {
      const out = path.join(root, `opt-${name}`);
      const result = await prepare(out, ...extra);
      expect(result.code).toBe(0);
      return readShard(path.join(out, 'images-00000.npy'));
    };
    const none = await run('none');
    const unit = await run('unit', '--normalize', 'unit');
    const xrv = await run('xrv', '--normalize', 'xrv');
    for (let i = 0; i < none.values.length; i++) {
      const v = none.values[i];
      // The shard holds float32: none is rounded once to float32, unit from the float64 value.
      expect(Math.abs(unit.values[i] - v / 255)).toBeLessThan(1e-6);
      expect(Math.abs(xrv.values[i] - ((2 * v) / 255 - 1) * 1024)).toBeLessThan(1e-3);
    }
    const variants = [
      ['--resize', 'area'],
      ['--clahe'],
      ['--clahe', '--clahe-kernel', '6'],
      ['--clahe', '--clahe-kernel', '6', '--clahe-clip', '0.2'],
      ['--clahe', '--clahe-kernel', '3x5'],
      ['--dtype', 'float16'],
      ['--dtype', 'uint8'],
      ['--size', '12x11'],
    ];
    const seen = new Set([Buffer.from(none.data).toString('base64')]);
    for (const [k, extra] of variants.entries()) {
      const shard = await run(`variant${k}`, ...extra);
      const key = Buffer.from(shard.data).toString('base64');
      expect(seen.has(key), extra.join(' ')).toBe(false);
      seen.add(key);
    }
  });

  it('--crop center resizes the central square (torchxrayvision XRayCenterCrop)', async () => {
    const wide = path.join(root, 'wide');
    const square = path.join(root, 'square');
    const image = syntheticImage(40, 30, 21);
    const centre = new Uint8Array(30 * 30);
    // x from 40 // 2 - 30 // 2 = 5.
    for (let y = 0; y < 30; y++) centre.set(image.subarray(y * 40 + 5, y * 40 + 35), y * 30);
    await mkdir(wide, { recursive: true });
    await mkdir(square, { recursive: true });
    await writeFile(path.join(wide, 'x.png'), encodePng({ width: 40, height: 30, data: image }));
    await writeFile(path.join(square, 'x.png'), encodePng({ width: 30, height: 30, data: centre }));
    const cropped = path.join(root, 'cropped');
    const direct = path.join(root, 'direct');
    expect((await runCli(['prepare', wide, '--out', cropped, ...base, '--crop', 'center'])).code).toBe(0);
    expect((await runCli(['prepare', square, '--out', direct, ...base])).code).toBe(0);
    expect(await shardBytes(cropped)).toEqual(await shardBytes(direct));
  });

  it.each([
    [['--dtype', 'uint8', '--normalize', 'unit'], '--dtype uint8 holds levels 0..255 and needs --normalize none'],
    [['--clahe-clip', '0.02'], '--clahe-clip is used by --clahe only'],
    [['--clahe', '--clahe-kernel', '0'], '--clahe-kernel must be K or KHxKW'],
    [['--size', '12x'], 'size must be N or HxW'],
    [['--shard', '2/2'], 'shard index must be an integer in [0, 1]'],
  ])('usage error %j', async (extra, message) => {
    const run = await runCli(['prepare', input, '--out', path.join(root, 'never'), ...base, ...extra]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

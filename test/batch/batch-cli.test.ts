/**
 * `xray-gpu batch` end to end, through the built executable: outputs, failures, resume, shards, series.
 * Images are small synthetic PNGs so that the 2-core CI machine runs this quickly.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { scaleToUint8 } from '../../src/io/image-file.js';
import { decodeNpy } from '../../src/io/npy.js';
import { decodePng, encodePng, encodePngRgba } from '../../src/io/png.js';
import { defaultOutputs, outputPathsFor } from '../../src/pipeline/batch/output-plan.js';
import { decodeGif } from '../io/gif-decoder.js';
import { listFiles, readManifestLines, runCli, syntheticImage, writeSyntheticPngs } from './cli-helpers.js';

let work: string;
let input: string;
let output: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'xray-batch-'));
  input = path.join(work, 'in');
  output = path.join(work, 'out');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const labels = defaultOutputs().map((o) => o.label);

describe('xray-gpu batch', () => {
  it('mirrors the input tree with one 8-bit PNG per default op, equal to the CPU engine result scaled as filter --out x.png', async () => {
    const inputs = [
      ...(await writeSyntheticPngs(input, 'a', ['1.png', '2.png'], 24)),
      ...(await writeSyntheticPngs(input, 'a/deeper', ['3.png'], 24, 7)),
    ];
    const run = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--jobs', '2']);
    expect(run.stderr).toContain('engine: cpu (float64 reference, WebAssembly SIMD) in 2 worker threads');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^batch: 3 images: 3 ok, 0 failed, 0 skipped in .* images\/s/m);
    const expectedFiles = inputs.flatMap((i) => outputPathsFor(i, defaultOutputs(), 'png'));
    expect(await listFiles(output)).toEqual([...expectedFiles, 'batch-config.json', 'manifest.jsonl'].sort());

    const engine = createCpuEngine();
    const source = decodePng(await readFile(path.join(input, 'a/deeper/3.png')), '3.png');
    const results = await engine.run(source, defaultOutputs().map((o) => o.request));
    for (const [i, label] of labels.entries()) {
      const written = decodePng(await readFile(path.join(output, `a/deeper/3.${label}.png`)), label);
      expect(written.data, label).toEqual(scaleToUint8(results[i]).data);
    }
  });

  it('writes the same pixels as `filter --out x.png` for an op', async () => {
    await writeSyntheticPngs(input, '', ['x.png'], 20, 3);
    const batch = await runCli(['batch', input, '--out', output, '--ops', 'gaussian-gradient-magnitude', '--engine', 'cpu']);
    expect(batch.code).toBe(0);
    const single = path.join(work, 'single.png');
    const filter = await runCli(['filter', path.join(input, 'x.png'), '--op', 'gaussian-gradient-magnitude', '--engine', 'cpu', '--out', single]);
    expect(filter.code).toBe(0);
    const fromBatch = decodePng(await readFile(path.join(output, 'x.gaussian-gradient-magnitude.png')), 'batch');
    expect(fromBatch.data).toEqual(decodePng(await readFile(single), 'filter').data);
  });

  it('--format npy writes the raw float32 results', async () => {
    await writeSyntheticPngs(input, '', ['x.png'], 16, 5);
    const run = await runCli(['batch', input, '--out', output, '--ops', 'gaussian-laplace,mask:threshold=60', '--format', 'npy', '--engine', 'cpu']);
    expect(run.code).toBe(0);
    const source = decodePng(await readFile(path.join(input, 'x.png')), 'x');
    const [log, mask] = await createCpuEngine().run(source, [{ op: 'gaussian-laplace' }, { op: 'mask', threshold: 60 }]);
    const written = decodeNpy(await readFile(path.join(output, 'x.gaussian-laplace.npy')));
    expect(written.shape).toEqual([16, 16]);
    expect(written.dtype).toBe('float32');
    expect(written.data).toEqual(Float32Array.from(log.data));
    expect(decodeNpy(await readFile(path.join(output, 'x.mask-threshold60.npy'))).data).toEqual(Float32Array.from(mask.data));
  });

  it('processes RGBA and 16-bit PNGs, reports a truncated PNG and a text file named .png, and exits 1', async () => {
    await writeSyntheticPngs(input, '', ['good1.png', 'good2.png'], 16);
    const rgba = new Uint8Array(16 * 16 * 4).map((_, i) => (i % 4 === 3 ? 200 : (i * 7) % 256));
    await writeFile(path.join(input, 'rgba.png'), encodePngRgba(16, 16, rgba));
    const deep = Uint16Array.from(syntheticImage(16, 16, 9), (v) => v * 257);
    await writeFile(path.join(input, 'sixteen.png'), encodePng({ width: 16, height: 16, data: deep }));
    const whole = encodePng({ width: 16, height: 16, data: syntheticImage(16, 16, 4) });
    await writeFile(path.join(input, 'truncated.png'), whole.subarray(0, whole.length - 30));
    await writeFile(path.join(input, 'text.png'), 'this is not an image\n');

    const run = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--jobs', '2']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/6 images: 4 ok, 2 failed, 0 skipped/);
    expect(run.stderr).toMatch(/failed: text\.png: not a PNG file \(bad signature\)/);
    expect(run.stderr).toMatch(/failed: truncated\.png: truncated/);
    expect(run.stderr).toContain('batch: 2 image(s) failed; see');
    const records = await readManifestLines(path.join(output, 'manifest.jsonl'));
    const status = Object.fromEntries(records.map((r) => [r.input, r.status]));
    expect(status).toEqual({ 'good1.png': 'ok', 'good2.png': 'ok', 'rgba.png': 'ok', 'sixteen.png': 'ok', 'text.png': 'failed', 'truncated.png': 'failed' });
    for (const name of ['good1', 'good2', 'rgba', 'sixteen']) {
      for (const label of labels) decodePng(await readFile(path.join(output, `${name}.${label}.png`)), `${name}.${label}`);
    }
    expect((await listFiles(output)).filter((f) => f.startsWith('text.') || f.startsWith('truncated.'))).toEqual([]);
  });

  it('--max-failures stops taking new images once that many failed', async () => {
    await mkdir(input);
    for (const name of ['a.png', 'b.png', 'c.png', 'd.png']) await writeFile(path.join(input, name), 'junk');
    await writeSyntheticPngs(input, '', ['z.png'], 16);
    const run = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--jobs', '1', '--max-failures', '2']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('stopped early: the --max-failures limit was reached');
    const records = await readManifestLines(path.join(output, 'manifest.jsonl'));
    // One job: at most two images in flight when the second failure is seen.
    expect(records.filter((r) => r.status === 'failed').length).toBeGreaterThanOrEqual(2);
    expect(records.map((r) => r.input)).not.toContain('z.png');
  });

  it('--resume skips images whose outputs are complete and redoes one whose output was deleted', async () => {
    await writeSyntheticPngs(input, 's', ['1.png', '2.png', '3.png'], 16);
    expect((await runCli(['batch', input, '--out', output, '--engine', 'cpu'])).code).toBe(0);
    const kept = path.join(output, 's/1.sobel-magnitude.png');
    const before = await stat(kept);
    await rm(path.join(output, 's/2.mask.png'));
    const again = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--resume']);
    expect(again.code, `signal ${again.signal}; stderr: ${again.stderr}`).toBe(0);
    expect(again.stdout).toMatch(/3 images: 1 ok, 0 failed, 2 skipped/);
    expect((await stat(kept)).mtimeMs).toBe(before.mtimeMs);
    decodePng(await readFile(path.join(output, 's/2.mask.png')), 'redone');
    const records = await readManifestLines(path.join(output, 'manifest.jsonl'));
    expect(records.slice(3).map((r) => `${r.input} ${r.status}`).sort()).toEqual(['s/1.png skipped', 's/2.png ok', 's/3.png skipped']);
  });

  it('--resume refuses outputs made with other settings, naming the file', async () => {
    await writeSyntheticPngs(input, '', ['1.png'], 12);
    expect((await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops', 'mask'])).code).toBe(0);
    const run = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops', 'mask-binary', '--resume']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--resume: ${path.join(output, 'batch-config.json')} says the outputs there were made with other settings: ops: saved mask, now mask-binary. Use another --out`);
    // Only what differs: one setting changed is one phrase, not both configs.
    const format = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops', 'mask', '--format', 'npy', '--resume']);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain('other settings: format: saved "png", now "npy"; pngLevel: saved "default", now null. Use another --out');
    const sigma = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops', 'mask:threshold=150', '--resume']);
    expect(sigma.stderr).toContain('other settings: ops: saved mask, now mask-threshold150.');
  });

  it('--ops takes every parameter: hyphenated names, per-axis pairs, several items as separate arguments', async () => {
    await writeSyntheticPngs(input, '', ['1.png'], 12);
    const run = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--format', 'npy', '--ops', 'gaussian:sigma=2,1:order=0,1', 'canny:sigma=2:low-threshold=5']);
    expect(run.code, run.stderr).toBe(0);
    expect((await listFiles(output)).filter((f) => f.endsWith('.npy')).sort()).toEqual(['1.canny-sigma2-low-threshold5.npy', '1.gaussian-sigma2_1-order0_1.npy']);
    const engine = createCpuEngine();
    const source = decodePng(await readFile(path.join(input, '1.png')), '1.png');
    const [gaussian, canny] = await engine.run(source, [
      { op: 'gaussian', sigma: [2, 1], order: [0, 1] },
      { op: 'canny', sigma: 2, lowThreshold: 5 },
    ]);
    const read = async (file: string) => Array.from(decodeNpy(new Uint8Array(await readFile(path.join(output, file))), file).data as Float32Array);
    expect(await read('1.gaussian-sigma2_1-order0_1.npy')).toEqual(Array.from(Float32Array.from(gaussian.data)));
    expect(await read('1.canny-sigma2-low-threshold5.npy')).toEqual(Array.from(Float32Array.from(canny.data)));
  });

  it('--ops-file reads OpRequest objects; a bad one is a usage error naming the file and the index', async () => {
    await writeSyntheticPngs(input, '', ['1.png'], 12);
    const file = path.join(input, '..', 'ops.json');
    await writeFile(file, JSON.stringify([{ op: 'gaussian', sigma: [2, 1] }, { op: 'sobel', sigma: 2 }]));
    const bad = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops-file', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`xray-gpu: ${file}: item 1: op sobel does not take sigma`);
    await writeFile(file, JSON.stringify([{ op: 'gaussian', sigma: [2, 1] }, { op: 'sobel' }]));
    const good = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops-file', file]);
    expect(good.code, good.stderr).toBe(0);
    expect((await listFiles(output)).filter((f) => f.endsWith('.png')).sort()).toEqual(['1.gaussian-sigma2_1.png', '1.sobel.png']);
  });

  it('--shard I/N: the shards together do every image exactly once, each in its own manifest, and merge back', async () => {
    const inputs = await writeSyntheticPngs(input, 'p', Array.from({ length: 12 }, (_, i) => `${i}.png`), 8);
    const runs = await Promise.all([0, 1, 2].map((i) => runCli(['batch', input, '--out', output, '--engine', 'cpu', '--jobs', '1', '--ops', 'mask', '--shard', `${i}/3`])));
    for (const run of runs) expect(run.code).toBe(0);
    const perShard = await Promise.all([0, 1, 2].map((i) => readManifestLines(path.join(output, `manifest-${i}-of-3.jsonl`))));
    const all = perShard.flat().map((r) => r.input);
    expect([...all].sort()).toEqual([...inputs].sort());
    expect(perShard.every((records) => records.length > 0)).toBe(true);

    const merged = path.join(work, 'merged.jsonl');
    const merge = await runCli(['batch', 'merge-manifests', merged, ...[0, 1, 2].map((i) => path.join(output, `manifest-${i}-of-3.jsonl`))]);
    expect(merge.code).toBe(0);
    expect(merge.stdout).toContain('merged 12 inputs (12 ok, 0 failed, 0 skipped)');
    expect((await readManifestLines(merged)).map((r) => r.input)).toEqual(inputs);
  });

  it('--shard auto takes the index from a Kubernetes Indexed Job', async () => {
    await writeSyntheticPngs(input, '', Array.from({ length: 6 }, (_, i) => `${i}.png`), 8);
    const run = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops', 'mask', '--shard', 'auto/2'], { JOB_COMPLETION_INDEX: '1' });
    expect(run.code).toBe(0);
    const records = await readManifestLines(path.join(output, 'manifest-1-of-2.jsonl'));
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(6);
  });

  it('--series writes one GIF (a frame per follow-up, in order) and one stats file per patient', async () => {
    await writeSyntheticPngs(input, 'images_001/images', ['00000001_000.png', '00000001_001.png', '00000002_000.png'], 16, 11);
    await writeSyntheticPngs(input, 'images_002/images', ['00000002_001.png', '00000003_000.png'], 16, 21);
    const run = await runCli(['batch', input, '--out', output, '--engine', 'cpu', '--ops', 'mask', '--series', '--series-frame-side', '8']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('series: 3 written, 0 already complete, 0 failed');
    const gif = decodeGif(await readFile(path.join(output, 'series/00000002.gif')));
    expect(gif.frames).toHaveLength(2);
    expect([gif.width, gif.height]).toEqual([8, 8]);
    const stats = JSON.parse(await readFile(path.join(output, 'series/00000002.json'), 'utf8'));
    expect(stats.frames.map((f: { input: string }) => f.input)).toEqual(['images_001/images/00000002_000.png', 'images_002/images/00000002_001.png']);
    const pixels = syntheticImage(16, 16, 21);
    expect(stats.frames[1].stats.mean).toBeCloseTo(pixels.reduce((a, b) => a + b, 0) / pixels.length, 10);
    expect(stats.frames[1].stats).toMatchObject({ schema: 'xray-gpu/stats@1', file: 'images_002/images/00000002_001.png', max: Math.max(...pixels) });
  });

  it('states usage mistakes with exit status 2: missing --out, --png-level with npy, a bad --shard', async () => {
    await writeSyntheticPngs(input, '', ['1.png'], 8);
    const noOut = await runCli(['batch', input]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out is required');
    const level = await runCli(['batch', input, '--out', output, '--format', 'npy', '--png-level', '3']);
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('--png-level applies to --format png only, got --format npy');
    const shard = await runCli(['batch', input, '--out', output, '--shard', '3/3']);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('shard index must be an integer in [0, 2], got 3');
  });
});

/**
 * `xray-gpu prepare` on the nine ChestX-ray8 samples (CPU engine, through the built CLI) against the
 * oracles' outputs in test/golden/prepare (scripts/make_prepare_golden.py: skimage 0.19, OpenCV 4.6).
 * Skipped when the samples are absent (set XRAY_SAMPLES).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { NIH_FINDINGS } from '../../src/pipeline/prepare/labels.js';
import { runCli } from '../batch/cli-helpers.js';
import { findSamplesDir } from '../helpers/golden.js';
import { type Shard, readShard } from './shard-reader.js';

const samples = findSamplesDir();
if (!samples) console.warn('prepare on the real samples skipped: no samples (set XRAY_SAMPLES or add ../shared/data/chestxray8-sample)');
const GOLDEN = path.join(import.meta.dirname, '../golden/prepare');
const golden = async (name: string) => decodeNpy(new Uint8Array(await readFile(path.join(GOLDEN, name))), name);
const manifest = JSON.parse(await readFile(path.join(GOLDEN, 'manifest.json'), 'utf8')) as { samples: string[] };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'xray-prepare-samples-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function prepare(name: string, ...args: string[]): Promise<{ shard: Shard; index: string[][]; out: string }> {
  const out = path.join(root, name);
  const run = await runCli(['prepare', samples as string, '--out', out, '--engine', 'cpu', '--jobs', '2', '--quiet', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const index = (await readFile(path.join(out, 'index.csv'), 'utf8')).trim().split('\n').map((line) => line.split(','));
  return { shard: await readShard(path.join(out, 'images-00000.npy')), index, out };
}

/** Row `r` of image `i` of a (n, H, W) shard. */
function row(shard: Shard, i: number, r: number): Float64Array {
  const [, height, width] = shard.shape;
  return shard.values.subarray((i * height + r) * width, (i * height + r + 1) * width);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.skipIf(!samples)('prepare on the ChestX-ray8 samples', () => {
  it('--size 256 --dtype float32 --normalize none: skimage resize within 1e-6 of the range (row sums and rows)', async () => {
    const { shard, index } = await prepare('s256', '--size', '256', '--dtype', 'float32', '--normalize', 'none');
    expect(shard.descr).toBe('<f4');
    expect(shard.shape).toEqual([9, 256, 256]);
    expect(index.slice(1).map((r) => r[0])).toEqual(manifest.samples);
    const sums = (await golden('resize256.rowsums.npy')).data;
    const rows = (await golden('resize256.rows.npy')).data;
    const tolerance = 1e-6 * 255;
    for (let i = 0; i < 9; i++) {
      const gotSums = Array.from({ length: 256 }, (_, r) => row(shard, i, r).reduce((a, b) => a + b, 0));
      expect(maxDifference(gotSums, sums.subarray(i * 256, (i + 1) * 256))).toBeLessThan(256 * tolerance);
      [0, 128, 255].forEach((r, k) => {
        const want = rows.subarray((i * 3 + k) * 256, (i * 3 + k + 1) * 256);
        expect(maxDifference(row(shard, i, r), want)).toBeLessThan(tolerance);
      });
    }
  });

  it('--size 64: every pixel of skimage resize within 1e-6 of the range', async () => {
    const { shard } = await prepare('s64', '--size', '64');
    const want = (await golden('resize64.npy')).data;
    expect(shard.values.length).toBe(want.length);
    expect(maxDifference(shard.values, want)).toBeLessThan(1e-6 * 255);
  });

  it('--resize area --dtype uint8: OpenCV INTER_AREA within 1 level (224, a fractional scale; row sums at 256)', async () => {
    const { shard } = await prepare('area224', '--size', '224', '--resize', 'area', '--dtype', 'uint8');
    expect(shard.descr).toBe('|u1');
    const want = (await golden('area224.npy')).data;
    expect(maxDifference(shard.values.subarray(0, want.length), want)).toBeLessThanOrEqual(1);
    const { shard: s256 } = await prepare('area256', '--size', '256', '--resize', 'area', '--dtype', 'uint8');
    const sums = (await golden('area256.rowsums.npy')).data;
    for (let i = 0; i < 9; i++) {
      const gotSums = Array.from({ length: 256 }, (_, r) => row(s256, i, r).reduce((a, b) => a + b, 0));
      expect(maxDifference(gotSums, sums.subarray(i * 256, (i + 1) * 256))).toBeLessThanOrEqual(256);
    }
  });

  it('--size 1024 --clahe --dtype uint8: skimage CLAHE within 1 level on 99.9% of pixels (16 rows per image, and the histogram)', async () => {
    const { shard } = await prepare('clahe', '--size', '1024', '--clahe', '--dtype', 'uint8');
    const rows = (await golden('clahe1024.rows.npy')).data;
    const histograms = (await golden('clahe1024.hist.npy')).data;
    let off = 0;
    let compared = 0;
    for (let i = 0; i < 9; i++) {
      for (let k = 0; k < 16; k++) {
        const got = row(shard, i, 7 + 64 * k);
        const want = rows.subarray((i * 16 + k) * 1024, (i * 16 + k + 1) * 1024);
        for (let x = 0; x < 1024; x++) if (Math.abs(got[x] - want[x]) > 1) off++;
        compared += 1024;
      }
      const histogram = new Float64Array(256);
      for (const v of shard.values.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024)) histogram[v]++;
      // Levels one off move counts between neighbouring bins only: compare cumulative counts.
      let got = 0;
      let want = 0;
      for (let level = 0; level < 256; level++) {
        got += histogram[level];
        want += histograms[i * 256 + level];
        expect(Math.abs(got - want)).toBeLessThan(0.001 * 1024 * 1024 + (level < 255 ? histograms[i * 256 + level] + histograms[i * 256 + level + 1] : 0));
      }
    }
    expect(off / compared).toBeLessThan(0.001);
  });

  it('--labels and --splits: each image its findings, patient, view, age, sex and split', async () => {
    const labels = path.join(GOLDEN, 'labels');
    const { index } = await prepare(
      'labels',
      '--size', '16',
      '--labels', path.join(labels, 'Data_Entry_fixture.csv'),
      '--splits', `${path.join(labels, 'train_val_list.txt')},${path.join(labels, 'test_list.txt')}`,
    );
    const findingColumns = NIH_FINDINGS.map((f) => f.replace(/ /g, '_'));
    expect(index[0]).toEqual(['file', 'shard', 'row', 'patient_id', 'follow_up', 'view', 'age', 'sex', ...findingColumns, 'split']);
    const records = index.slice(1).map((fields) => Object.fromEntries(index[0].map((name, k) => [name, fields[k]])));
    const findings = (r: Record<string, string>) => findingColumns.filter((f) => r[f] === '1');
    expect(records.map((r) => r.file)).toEqual(manifest.samples);
    expect(records.map((r) => r.row)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    expect(findings(records[0])).toEqual(['No_Finding']);
    expect(findings(records[1])).toEqual(['Cardiomegaly', 'Effusion']);
    expect(findings(records[3])).toEqual(['Infiltration', 'Mass', 'Nodule']);
    expect(findings(records[7])).toEqual(['Consolidation', 'Edema', 'Fibrosis', 'Pneumonia']);
    expect(records[1]).toMatchObject({ patient_id: '11', follow_up: '1', view: 'AP', age: '70', sex: 'F', split: 'train_val' });
    expect(records[3]).toMatchObject({ follow_up: '3', view: 'PA', age: '71', split: 'test' });
    expect(records.every((r) => Object.values(r).every((v) => v !== ''))).toBe(true);
  });
});

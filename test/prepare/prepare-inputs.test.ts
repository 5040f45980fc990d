/**
 * `xray-gpu prepare` on the inputs every other command takes: JPEG, DICOM (with and without an
 * extension, 8 and 12 bits, `--dicom-values`), 16-bit PNG; `--inputs` picks the kinds a walk takes.
 * Each row must equal the library's own reading of the file (readImageFile, checked against Pillow
 * and pydicom in test/codecs) made into levels and run through prepareImage.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaleToLevels } from '../../src/cpu/fast/levels.js';
import { readImageFile } from '../../src/io/image-file.js';
import { encodePng } from '../../src/io/png.js';
import { prepareImage } from '../../src/pipeline/prepare/stages.js';
import type { PrepareSettings } from '../../src/pipeline/prepare/settings.js';
import { repoRoot, runCli, syntheticImage } from '../batch/cli-helpers.js';
import { readShard } from './shard-reader.js';

const dicomDir = path.join(repoRoot, 'test/golden/dicom/samples');
const jpegDir = path.join(repoRoot, 'test/golden/jpeg');
let root: string;
let input: string;

/** The tree, in walk order. */
const files = {
  png8: 'a/gray8.png',
  jpeg: 'b/gray.jpg',
  dicom8: 'c/u8.dcm',
  dicom12: 'c/u12.dcm',
  bareDicom: 'c/z-no-extension',
  png16: 'd/gray16.png',
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'xray-prepare-inputs-'));
  input = path.join(root, 'in');
  for (const dir of ['a', 'b', 'c', 'd']) await mkdir(path.join(input, dir), { recursive: true });
  await writeFile(path.join(input, files.png8), encodePng({ width: 40, height: 30, data: syntheticImage(40, 30, 5) }));
  await copyFile(path.join(jpegDir, 'gray-baseline-37x53.jpg'), path.join(input, files.jpeg));
  await copyFile(path.join(dicomDir, 'cxr0_u8_explicit-le.dcm'), path.join(input, files.dicom8));
  await copyFile(path.join(dicomDir, 'cxr0_u12_explicit-le.dcm'), path.join(input, files.dicom12));
  await copyFile(path.join(dicomDir, 'cxr1_u12_explicit-le.dcm'), path.join(input, files.bareDicom));
  const wide = Uint16Array.from(syntheticImage(33, 21, 8), (v, i) => v * 200 + (i % 7));
  await writeFile(path.join(input, files.png16), encodePng({ width: 33, height: 21, data: wide }));
  // Not an input of any kind: the walk passes it by.
  await writeFile(path.join(input, 'd/notes.txt'), 'not an image');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const settings: PrepareSettings = { height: 12, width: 10, resize: 'skimage', crop: 'center', normalize: 'none', dtype: 'float32' };
const args = ['--size', '12x10', '--crop', 'center', '--engine', 'cpu', '--jobs', '2', '--quiet'];

/** The row prepare must write for `file`: the library's reading, as levels, through the stages. */
async function expectedRow(file: string, dicomValues: 'stored' | 'display'): Promise<number[]> {
  const image = await readImageFile(path.join(input, file), { dicomValues });
  const levels = image.data instanceof Uint8Array ? image.data : scaleToLevels(image.data);
  return Array.from(prepareImage({ width: image.width, height: image.height, data: levels }, settings));
}

async function rowsOf(out: string): Promise<{ files: string[]; rows: number[][] }> {
  const index = (await readFile(path.join(out, 'index.csv'), 'utf8')).trim().split('\n').slice(1);
  const shard = await readShard(path.join(out, 'images-00000.npy'));
  const size = shard.shape[1] * shard.shape[2];
  return {
    files: index.map((line) => line.split(',')[0]),
    rows: Array.from({ length: shard.shape[0] }, (_, r) => Array.from(shard.values.slice(r * size, (r + 1) * size))),
  };
}

describe('prepare inputs beyond 8-bit PNG', () => {
  it('walks PNG, JPEG and DICOM (extension-less too) and rows equal the library reading them, DICOM as display values', async () => {
    const out = path.join(root, 'all');
    const run = await runCli(['prepare', input, '--out', out, ...args]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { files: listed, rows } = await rowsOf(out);
    const order = [files.png8, files.jpeg, files.dicom8, files.dicom12, files.bareDicom, files.png16];
    expect(listed).toEqual(order);
    for (const [r, file] of order.entries()) expect(rows[r], file).toEqual(await expectedRow(file, 'display'));
    const summary = JSON.parse(await readFile(path.join(out, 'prepare.json'), 'utf8'));
    expect(summary.decode).toEqual({ inputs: ['png', 'jpeg', 'dicom'], dicomValues: 'display', frame: 0 });
  });

  it('--dicom-values stored: a 12-bit DICOM becomes levels by its own min and max', async () => {
    const out = path.join(root, 'stored');
    const run = await runCli(['prepare', path.join(input, files.dicom12), path.join(input, files.dicom8), '--out', out, ...args, '--dicom-values', 'stored']);
    expect(run.code).toBe(0);
    const { rows } = await rowsOf(out);
    const stored = await expectedRow(files.dicom12, 'stored');
    expect(rows[0]).toEqual(stored);
    // The window and the range differ: stored values are not the display values.
    expect(stored).not.toEqual(await expectedRow(files.dicom12, 'display'));
    expect(rows[1]).toEqual(await expectedRow(files.dicom8, 'stored'));
  });

  it('--inputs png takes the PNGs alone; --resume refuses another --inputs', async () => {
    const out = path.join(root, 'png-only');
    expect((await runCli(['prepare', input, '--out', out, ...args, '--inputs', 'png'])).code).toBe(0);
    expect((await rowsOf(out)).files).toEqual([files.png8, files.png16]);
    const again = await runCli(['prepare', input, '--out', out, ...args, '--inputs', 'png,jpeg', '--resume']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('decode.inputs: saved ["png"], now ["png","jpeg"]');
  });

  it('--inputs with an unknown kind is a usage error naming the kinds', async () => {
    const run = await runCli(['prepare', input, '--out', path.join(root, 'bad'), ...args, '--inputs', 'png,tiff']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--inputs takes a comma-separated list of png, jpeg, dicom, npy; got "tiff"');
  });
});

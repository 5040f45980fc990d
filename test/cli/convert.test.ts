/**
 * `xray-gpu convert` through the built executable (npm run build first) on the committed DICOM
 * samples in every syntax and the pydicom test files, against expected.json (pydicom 2.3 + gdcm):
 * stored equal (lossless) or within 2 levels (lossy), modality within 1e-6 of the range (float32 in
 * the .npy: plus its rounding), display within 1 level. One process per file for a subset (every
 * syntax, every value kind); the rest through readImageFile in-process, which is what convert calls.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomValues } from '../../src/codecs/dicom/index.js';
import type { Image2D } from '../../src/image.js';
import { readImageFile } from '../../src/io/image-file.js';
import { decodeNpy, npyToImage } from '../../src/io/npy.js';
import { decodePng } from '../../src/io/png.js';
import {
  type DicomRecord,
  PYDICOM_FILES,
  REFUSED_FILES,
  dicomPathOf,
  dicomRecords,
  gridDiff,
  havePydicom,
  meanOf,
  noPixelDataDicom,
  truncatedDicom,
  unsupportedSyntaxDicom,
  valuesSha256,
} from '../helpers/dicom-files.js';

const cli = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'dist/src/cli/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function xray(args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, XRAY_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Runs the tasks `limit` at a time (each spawns a process). */
async function pooled<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}



/** The oracle's checks for one decoded image of `values` kind (float32: the .npy's modality values). */
function checkValues(image: Image2D, record: DicomRecord, values: DicomValues, float32: boolean): void {
  const where = `${record.file} frame ${record.frame} ${values}`;
  expect([image.height, image.width], where).toEqual(record.shape);
  if (values === 'stored') {
    expect(image.data instanceof Float32Array || image.data instanceof Float64Array, `${where}: integer dtype`).toBe(false);
    if (record.lossy) {
      expect(gridDiff(image, record, record.storedGrid), where).toBeLessThanOrEqual(2);
      expect(Math.abs(meanOf(image.data) - record.stored.mean), where).toBeLessThanOrEqual(2);
    } else {
      expect(valuesSha256(image.data), `${where}: SHA-256 of the stored values`).toBe(record.storedSha256);
    }
  } else if (values === 'modality') {
    const range = Math.max(1, record.modality.max - record.modality.min);
    const storedRange = record.stored.max - record.stored.min;
    const slope = storedRange > 0 ? range / storedRange : 1;
    const magnitude = Math.max(Math.abs(record.modality.min), Math.abs(record.modality.max));
    const tolerance = (record.lossy ? 2 * slope : 0) + 1e-6 * range + (float32 ? magnitude * 2 ** -24 : 0);
    expect(gridDiff(image, record, record.modalityGrid), where).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(meanOf(image.data) - record.modality.mean), where).toBeLessThanOrEqual(tolerance);
  } else {
    expect(image.data, `${where}: uint8`).toBeInstanceOf(Uint8Array);
    expect(Math.abs(meanOf(image.data) - record.display.mean), where).toBeLessThanOrEqual(record.lossy ? 2 : 0.5);
    if (!record.lossy) expect(gridDiff(image, record, record.displayGrid), where).toBeLessThanOrEqual(1);
  }
}

const usable = dicomRecords.filter((r) => !REFUSED_FILES.has(r.file) && (r.source === 'samples' || havePydicom));
if (!havePydicom) console.warn(`skipping the pydicom test files: ${PYDICOM_FILES} is absent (apt-get install python3-pydicom)`);

const VALUES: readonly DicomValues[] = ['stored', 'modality', 'display'];

/**
 * Through the CLI (a process costs ~1 s on a busy machine): one file per transfer syntax, committed
 * samples first, each with one value kind in turn so that every kind meets several syntaxes; plus a
 * later frame of a multi-frame file (--frame).
 */
function cliSubset(): { record: DicomRecord; values: DicomValues }[] {
  const bySyntax = new Map<string | null, DicomRecord>();
  for (const record of usable) {
    const known = bySyntax.get(record.transferSyntaxUid);
    const rank = (r: DicomRecord) => (r.source === 'samples' ? 0 : 1) + (/^cxr0_(s16|s12|u12)/.test(r.file) ? 0 : 0.5);
    if (record.frame === 0 && (!known || rank(record) < rank(known))) bySyntax.set(record.transferSyntaxUid, record);
  }
  const chosen = [...bySyntax.values()].map((record, i) => ({ record, values: VALUES[i % VALUES.length] }));
  const multiFrame = usable.find((r) => r.frame > 0 && r.source === 'pydicom' && r.file === 'rtdose.dcm');
  if (multiFrame) chosen.push({ record: multiFrame, values: 'modality' }, { record: multiFrame, values: 'stored' });
  return chosen;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xray-convert-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('convert --out x.npy matches pydicom', () => {
  const subset = cliSubset();
  const rest = usable.filter((r) => !subset.some((c) => c.record === r));

  it(`through the CLI: ${subset.length} files, every syntax and value kind, multi-frame with --frame`, async () => {
    expect(new Set(subset.map((c) => c.record.transferSyntaxUid)).size).toBeGreaterThanOrEqual(12);
    const jobs = subset.map(({ record, values }, i) => async () => {
      const out = join(dir, `${i}-${values}.npy`);
      const run = await xray(['convert', dicomPathOf(record), '--out', out, '--dicom-values', values, '--frame', String(record.frame)]);
      return { record, values, out, run };
    });
    for (const { record, values, out, run } of await pooled(jobs, 3)) {
      expect(run.stderr, `${record.file} ${values}`).toBe('');
      expect(run.code, `${record.file} ${values}`).toBe(0);
      const image = npyToImage(decodeNpy(new Uint8Array(readFileSync(out)), out));
      // The .npy's dtype: the stored values' integers, float32 for modality, uint8 for display.
      if (values === 'modality') expect(image.data, record.file).toBeInstanceOf(Float32Array);
      checkValues(image, record, values, values === 'modality');
    }
  }, 120_000);

  it(`the other ${rest.length} files in-process through readImageFile`, async () => {
    for (const record of rest) {
      for (const values of VALUES) {
        const image = await readImageFile(dicomPathOf(record), { dicomValues: values, frame: record.frame });
        checkValues(image, record, values, false);
      }
    }
  }, 60_000);

});

describe('convert --out x.png', () => {
  const sample = (name: string) => dicomPathOf({ source: 'samples', file: name });

  it.each([
    ['display values: 8-bit', 'cxr0_u16_explicit-le.dcm', 'display', Uint8Array],
    ['stored unsigned 12-bit: 16-bit', 'cxr0_u12_explicit-le.dcm', 'stored', Uint16Array],
    ['stored unsigned 16-bit: 16-bit', 'cxr0_u16_jpeg-ls.dcm', 'stored', Uint16Array],
  ] as const)('%s, the values as they are', async (_, name, values, type) => {
    const out = join(dir, `${name}-${values}.png`);
    const run = await xray(['convert', sample(name), '--out', out, '--dicom-values', values]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const png = decodePng(new Uint8Array(readFileSync(out)), out);
    expect(png.data).toBeInstanceOf(type);
    const expected = await readImageFile(sample(name), { dicomValues: values });
    expect(Array.from(png.data)).toEqual(Array.from(expected.data));
  }, 30_000);

  it.each([
    ['signed stored values', 'cxr0_s16_explicit-le.dcm', 'stored'],
    ['modality values with a rescale', 'cxr0_s12_explicit-le.dcm', 'modality'],
  ] as const)('%s: min-max scaled to 8 bits, said on stderr', async (_, name, values) => {
    const out = join(dir, `${name}-${values}.png`);
    const run = await xray(['convert', sample(name), '--out', out, '--dicom-values', values]);
    expect(run.code).toBe(0);
    const expected = await readImageFile(sample(name), { dicomValues: values });
    let min = Infinity;
    let max = -Infinity;
    for (const v of expected.data) [min, max] = [Math.min(min, v), Math.max(max, v)];
    expect(min < 0 || !Number.isInteger(min) || max > 0xffff).toBe(true);
    expect(run.stderr.trim()).toBe(`convert: ${sample(name)}: values ${min}..${max} do not fit a PNG's levels; wrote them min-max scaled to 8 bits (use .npy for the values)`);
    const png = decodePng(new Uint8Array(readFileSync(out)), out);
    expect(png.data).toBeInstanceOf(Uint8Array);
    const at = expected.data.indexOf(max);
    expect([png.data[expected.data.indexOf(min)], png.data[at]]).toEqual([0, 255]);
  }, 30_000);
});

describe('convert errors: one line naming the file, exit 1', () => {
  it.each([
    ['an unsupported transfer syntax', 'syntax.dcm', unsupportedSyntaxDicom, /unsupported transfer syntax 1\.2\.840\.10008\.1\.2\.4\.92 \(JPEG 2000 Part 2/],
    ['no pixel data', 'nopixels.dcm', noPixelDataDicom, /no pixel data \(7FE0,0010\)/],
    ['truncated pixel data', 'truncated.dcm', truncatedDicom, /truncated pixel data/],
  ] as const)('%s', async (_, name, make, reason) => {
    const input = join(dir, name);
    writeFileSync(input, make());
    const run = await xray(['convert', input, '--out', join(dir, 'never.npy')]);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(input);
    expect(lines[0]).toMatch(reason);
  }, 30_000);

  it.runIf(havePydicom)('a structured report (pydicom test-SR.dcm): no pixel data', async () => {
    const input = join(PYDICOM_FILES, 'test-SR.dcm');
    const run = await xray(['convert', input, '--out', join(dir, 'never.npy')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`${input}: no pixel data`);
  }, 30_000);

  it.runIf(havePydicom)('a frame out of range', async () => {
    const input = join(PYDICOM_FILES, 'rtdose.dcm');
    const run = await xray(['convert', input, '--out', join(dir, 'never.npy'), '--frame', '15']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`${input.replace(/[.]/g, '\\.')}: .*frame 15`));
  }, 30_000);

  it('--out with another extension, or an unknown --dicom-values: a usage error (exit 2)', async () => {
    const input = dicomPathOf({ source: 'samples', file: 'cxr0_u8_rle.dcm' });
    expect((await xray(['convert', input, '--out', join(dir, 'x.tif')])).code).toBe(2);
    expect((await xray(['convert', input, '--out', join(dir, 'x.npy'), '--dicom-values', 'raw'])).code).toBe(2);
  }, 30_000);
});

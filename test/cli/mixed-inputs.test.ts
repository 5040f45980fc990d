/**
 * `run` and `batch` (built executable) on one folder mixing PNG, JPEG and DICOM in several syntaxes
 * (one without extension, one `.dicom`), plus a truncated and an unsupported DICOM: every good file
 * writes every output, each bad one fails alone with its reason, exit 1. A PNG of a DICOM's display
 * values sits beside it: their outputs must be the same bytes, so the DICOM's values went through.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image2D } from '../../src/image.js';
import { readImageFile } from '../../src/io/image-file.js';
import { encodePng } from '../../src/io/png.js';
import { readManifestLines, runCli } from '../batch/cli-helpers.js';
import { GOLDEN_DIR } from '../helpers/golden.js';
import { DICOM_SAMPLES, truncatedDicom, unsupportedSyntaxDicom } from '../helpers/dicom-files.js';

let dir: string;
let input: string;
const GOOD = ['explicit.dcm', 'rle.dcm', 'IM0001', 'jpegls.dicom', 'gray.jpg', 'reference.png'];
const BAD: Record<string, RegExp> = {
  'truncated.dcm': /^truncated pixel data/,
  'unsupported.dcm': /^unsupported transfer syntax 1\.2\.840\.10008\.1\.2\.4\.92/,
};
const stemOf = (name: string) => name.replace(/\.[^.]*$/, '');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xray-mixed-'));
  input = join(dir, 'in');
  mkdirSync(input);
  copyFileSync(join(DICOM_SAMPLES, 'cxr0_u16_explicit-le.dcm'), join(input, 'explicit.dcm'));
  copyFileSync(join(DICOM_SAMPLES, 'cxr0_s12_rle.dcm'), join(input, 'rle.dcm'));
  copyFileSync(join(DICOM_SAMPLES, 'cxr0_u8_j2k-lossless.dcm'), join(input, 'IM0001'));
  copyFileSync(join(DICOM_SAMPLES, 'cxr0_u12_jpeg-ls.dcm'), join(input, 'jpegls.dicom'));
  copyFileSync(join(GOLDEN_DIR, 'jpeg', 'gray-baseline-37x53.jpg'), join(input, 'gray.jpg'));
  const display = await readImageFile(join(input, 'explicit.dcm'));
  writeFileSync(join(input, 'reference.png'), encodePng(display as Image2D<Uint8Array>));
  writeFileSync(join(input, 'truncated.dcm'), truncatedDicom());
  writeFileSync(join(input, 'unsupported.dcm'), unsupportedSyntaxDicom());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a folder of every input kind', () => {
  it('batch: every good file writes every output, each bad one fails alone with its reason', async () => {
    const out = join(dir, 'batch');
    const run = await runCli(['batch', input, '--out', out, '--engine', 'cpu', '--jobs', '2']);
    expect(run.code, run.stderr).toBe(1);
    const records = await readManifestLines(join(out, 'manifest.jsonl'));
    expect(records.map((r) => r.input).sort()).toEqual([...GOOD, ...Object.keys(BAD)].sort());
    const outputsOf = (name: string) => records.find((r) => r.input === name)?.outputs.map((o) => o.path.slice(stemOf(name).length)) ?? [];
    const expectedOutputs = outputsOf('reference.png');
    expect(expectedOutputs.length).toBeGreaterThanOrEqual(5);
    for (const name of GOOD) {
      expect(records.find((r) => r.input === name)?.status, name).toBe('ok');
      expect(outputsOf(name), name).toEqual(expectedOutputs);
    }
    for (const [name, reason] of Object.entries(BAD)) {
      const record = records.find((r) => r.input === name);
      expect(record?.status, name).toBe('failed');
      expect(record?.reason, name).toMatch(reason);
      expect(run.stderr).toContain(`failed: ${name}: `);
    }
    for (const suffix of expectedOutputs) {
      expect(readFileSync(join(out, `explicit${suffix}`)).equals(readFileSync(join(out, `reference${suffix}`))), suffix).toBe(true);
    }
  }, 90_000);

  it('run: the same, one output folder per good image', async () => {
    const out = join(dir, 'run');
    const run = await runCli(['run', input, '--out', out, '--engine', 'cpu']);
    expect(run.code).toBe(1);
    const folders = readdirSync(out).filter((name) => name !== 'report.html');
    expect(folders.sort()).toEqual(GOOD.map(stemOf).sort());
    const reference = readdirSync(join(out, 'reference')).sort();
    expect(reference.length).toBeGreaterThanOrEqual(5);
    for (const name of GOOD) expect(readdirSync(join(out, stemOf(name))).sort(), name).toEqual(reference);
    // comparison.png and the histogram carry the image's name; the filter outputs do not.
    for (const file of reference.filter((f) => f.endsWith('.png') && !/comparison|histogram/.test(f))) {
      expect(readFileSync(join(out, 'explicit', file)).equals(readFileSync(join(out, 'reference', file))), file).toBe(true);
    }
    for (const [name, reason] of Object.entries(BAD)) {
      const line = run.stderr.split('\n').find((l) => l.includes(`${name}: FAILED`));
      expect(line, name).toBeDefined();
      expect(line?.slice(line.indexOf(`${join(input, name)}: `) + join(input, name).length + 2)).toMatch(reason);
    }
    expect(run.stderr).toContain('2 of 8 images failed');
  }, 120_000);

  it('batch --inputs png takes the PNG only; --inputs bogus is a usage error', async () => {
    const out = join(dir, 'png-only');
    const run = await runCli(['batch', input, '--out', out, '--engine', 'cpu', '--inputs', 'png']);
    expect(run.code, run.stderr).toBe(0);
    expect((await readManifestLines(join(out, 'manifest.jsonl'))).map((r) => r.input)).toEqual(['reference.png']);
    const bogus = await runCli(['batch', input, '--out', join(dir, 'bogus'), '--inputs', 'bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/bogus/);
  }, 60_000);
});

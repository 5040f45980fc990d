/**
 * `xray-gpu stats` on a DICOM (built executable): the stats record plus the header attributes under
 * `dicom` (--json) or as `dicom <Keyword> <value>` lines, never the identifying ones without --identifying.
 */
import { describe, expect, it } from 'vitest';
import { DICOM_SAMPLES } from '../helpers/dicom-files.js';
import { runCli } from '../batch/cli-helpers.js';
import { join } from 'node:path';

const input = join(DICOM_SAMPLES, 'cxr0_s12_explicit-le.dcm');
// In the fixture (scripts/make_dicom_golden.py): PatientName Test^Fixture, PatientID XRAYGPU-TEST.
const IDENTIFYING = ['Test^Fixture', 'XRAYGPU-TEST', '1.2.826.0.1.3680043.8.498'];

const ATTRIBUTES = {
  transferSyntaxUid: '1.2.840.10008.1.2.1',
  transferSyntaxName: 'Explicit VR Little Endian',
  modality: 'DX',
  photometricInterpretation: 'MONOCHROME2',
  bitsStored: 12,
  rows: 40,
  columns: 40,
  numberOfFrames: 1,
  pixelSpacing: [2.288, 2.288],
  windowCenter: [-600],
  windowWidth: [1500],
  rescaleSlope: 1,
  rescaleIntercept: -1024,
  viewPosition: 'PA',
  bodyPartExamined: 'CHEST',
};

describe('stats on a DICOM', () => {
  it('--json: the stats record with a dicom key, nothing identifying', async () => {
    const run = await runCli(['stats', input, '--json', '--engine', 'cpu', '--dicom-values', 'stored']);
    expect(run.code, run.stderr).toBe(0);
    for (const value of IDENTIFYING) expect(run.stdout).not.toContain(value);
    const record = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(record).toMatchObject({ schema: 'xray-gpu/stats@1', file: input, width: 40, height: 40, dtype: 'int16' });
    expect(record.dicom).toEqual(ATTRIBUTES);
  }, 30_000);

  it('text: one line per attribute, nothing identifying', async () => {
    const run = await runCli(['stats', input, '--engine', 'cpu']);
    expect(run.code, run.stderr).toBe(0);
    for (const value of IDENTIFYING) expect(run.stdout).not.toContain(value);
    const lines = run.stdout.split('\n');
    for (const line of ['dicom Modality DX', 'dicom PhotometricInterpretation MONOCHROME2', 'dicom BitsStored 12', 'dicom Rows 40', 'dicom Columns 40',
      'dicom PixelSpacing 2.288\\2.288', 'dicom WindowCenter -600', 'dicom WindowWidth 1500', 'dicom ViewPosition PA', 'dicom BodyPartExamined CHEST',
      'dicom TransferSyntax Explicit VR Little Endian']) {
      expect(lines).toContain(line);
    }
  }, 30_000);

  it('--identifying: the identifying attributes too, in both forms', async () => {
    const json = await runCli(['stats', input, '--json', '--identifying', '--engine', 'cpu']);
    expect(json.code, json.stderr).toBe(0);
    const dicom = (JSON.parse(json.stdout) as { dicom: { identifying: Record<string, string> } }).dicom;
    expect(dicom.identifying).toMatchObject({ patientId: 'XRAYGPU-TEST', patientName: 'Test^Fixture' });
    const text = await runCli(['stats', input, '--identifying', '--engine', 'cpu']);
    expect(text.stdout.split('\n')).toEqual(expect.arrayContaining(['dicom PatientID XRAYGPU-TEST', 'dicom PatientName Test^Fixture']));
  }, 30_000);

  it('a JPEG has no dicom key', async () => {
    const run = await runCli(['stats', join(DICOM_SAMPLES, '..', '..', 'jpeg', 'gray-baseline-37x53.jpg'), '--json', '--engine', 'cpu']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('dicom');
  }, 30_000);
});

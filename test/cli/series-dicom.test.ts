/**
 * `batch --series` on DICOM (built executable): files grouped by the header's PatientID, a patient's
 * images ordered by StudyDate, StudyInstanceUID, InstanceNumber, then path; the shard key is the
 * patient. Four DICOMs for 2 patients x 2 studies are made from a committed sample by patching
 * PatientID and StudyInstanceUID in place (same lengths).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicomAttributes } from '../../src/codecs/dicom/index.js';
import { readManifestLines, runCli } from '../batch/cli-helpers.js';
import { dicomSample, patchText } from '../helpers/dicom-files.js';

let dir: string;
let input: string;

/** The sample with another PatientID and a StudyInstanceUID whose last digit is `studyDigit`. */
function patientImage(patientId: string, studyDigit: string): Uint8Array {
  const bytes = dicomSample('cxr0_u8_explicit-le.dcm');
  const { patientId: oldId, studyInstanceUid } = readDicomAttributes(bytes).identifying;
  if (oldId === undefined || studyInstanceUid === undefined) throw new Error('the sample lacks PatientID or StudyInstanceUID');
  const study = `${studyInstanceUid.slice(0, -1)}${studyDigit}`;
  return patchText(patchText(bytes, studyInstanceUid, study), oldId, patientId);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xray-series-dicom-'));
  input = join(dir, 'in');
  // Walk order: p1/a, p1/b, p2/c, p2/d, p3/e. Patient A's second study (digit 1) is in b: b before a.
  const files: [string, string, string][] = [
    ['p1/a.dcm', 'PAT-A', '9'],
    ['p1/b.dcm', 'PAT-A', '1'],
    ['p2/c.dcm', 'PAT B', '1'],
    ['p2/d.dcm', 'PAT B', '2'],
  ];
  for (const [name, patient, study] of files) {
    mkdirSync(join(input, name, '..'), { recursive: true });
    writeFileSync(join(input, name), patientImage(patient, study));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SeriesJson {
  patientId: string;
  frames: { input: string }[];
}

const seriesOf = (out: string, name: string) => JSON.parse(readFileSync(join(out, 'series', `${name}.json`), 'utf8')) as SeriesJson;

describe('batch --series on DICOM', () => {
  it('groups by PatientID and orders by study', async () => {
    const patched = readDicomAttributes(new Uint8Array(readFileSync(join(input, 'p2/c.dcm'))));
    expect(patched.identifying.patientId).toBe('PAT B');
    const out = join(dir, 'out');
    const run = await runCli(['batch', input, '--out', out, '--engine', 'cpu', '--series', '--ops', 'sobel-magnitude']);
    expect(run.code, run.stderr).toBe(0);
    expect(seriesOf(out, 'PAT-A')).toMatchObject({ patientId: 'PAT-A', frames: [{ input: 'p1/b.dcm' }, { input: 'p1/a.dcm' }] });
    // A space is not kept in a file name.
    expect(seriesOf(out, 'PAT_B')).toMatchObject({ patientId: 'PAT B', frames: [{ input: 'p2/c.dcm' }, { input: 'p2/d.dcm' }] });
    expect(readFileSync(join(out, 'series', 'PAT-A.gif')).subarray(0, 6).toString('latin1')).toBe('GIF89a');
  }, 60_000);

  it('shards by patient: each patient in one shard', async () => {
    const shards: string[][] = [];
    for (const index of [0, 1]) {
      const out = join(dir, `shard-${index}`);
      const run = await runCli(['batch', input, '--out', out, '--engine', 'cpu', '--series', '--ops', 'sobel-magnitude', '--shard', `${index}/2`]);
      expect(run.code, run.stderr).toBe(0);
      shards.push((await readManifestLines(join(out, `manifest-${index}-of-2.jsonl`))).map((r) => r.input).sort());
    }
    expect(shards.flat().sort()).toEqual(['p1/a.dcm', 'p1/b.dcm', 'p2/c.dcm', 'p2/d.dcm']);
    for (const files of shards) {
      const patients = new Set(files.map((f) => f.slice(0, 2)));
      expect(files.length, JSON.stringify(shards)).toBe(patients.size * 2);
    }
  }, 60_000);

  it('a patient met again after its files: the warning, and the first series kept', async () => {
    writeFileSync(join(input, 'p3.dcm'), patientImage('PAT-A', '5'));
    try {
      const out = join(dir, 'again');
      const run = await runCli(['batch', input, '--out', out, '--engine', 'cpu', '--series', '--ops', 'sobel-magnitude']);
      expect(run.stderr).toContain('series: p3.dcm belongs to patient PAT-A, whose files were met earlier');
      expect(seriesOf(out, 'PAT-A').frames.map((f) => f.input)).toEqual(['p1/b.dcm', 'p1/a.dcm']);
    } finally {
      rmSync(join(input, 'p3.dcm'));
    }
  }, 60_000);
});

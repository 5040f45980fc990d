/**
 * Interrupting a batch: SIGKILL (nothing can be cleaned up) followed by --resume, and SIGINT (a clean
 * stop). In both cases no output may be half-written, corrupt or left as a temporary file, and the
 * resumed run must finish the tree without redoing what was done.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePng } from '../../src/io/png.js';
import type { ManifestRecord } from '../../src/pipeline/batch/manifest.js';
import { defaultOutputs, outputPathsFor } from '../../src/pipeline/batch/output-plan.js';
import { listFiles, readManifestLines, runCli, startCli, writeSyntheticPngs } from './cli-helpers.js';

const SIZE = 192;
const COUNT = 40;

let work: string;
let input: string;
let output: string;
let manifest: string;
let inputs: string[];
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'xray-interrupt-'));
  input = path.join(work, 'in');
  output = path.join(work, 'out');
  manifest = path.join(output, 'manifest.jsonl');
  const names = (from: number) => Array.from({ length: COUNT / 2 }, (_, i) => `img${from + i}.png`);
  inputs = [...(await writeSyntheticPngs(input, 'one', names(0), SIZE)), ...(await writeSyntheticPngs(input, 'two', names(COUNT / 2), SIZE, 99))];
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Resolves once the manifest holds at least `lines` records (polling), or rejects when the run ends first. */
async function waitForRecords(lines: number, ended: () => boolean): Promise<void> {
  for (;;) {
    const text = await readFile(manifest, 'utf8').catch(() => '');
    if (text.split('\n').filter((l) => l !== '').length >= lines) return;
    if (ended()) throw new Error(`the batch ended before its manifest held ${lines} records`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every expected output exists and decodes to a SIZE x SIZE image; no temporary file is left. */
async function expectEveryOutputWhole(): Promise<void> {
  const files = await listFiles(output);
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  for (const relative of inputs.flatMap((i) => outputPathsFor(i, defaultOutputs(), 'png'))) {
    const image = decodePng(await readFile(path.join(output, relative)), relative);
    expect([image.width, image.height]).toEqual([SIZE, SIZE]);
  }
}

function byInput(records: readonly ManifestRecord[]): Map<string, ManifestRecord[]> {
  const map = new Map<string, ManifestRecord[]>();
  for (const r of records) map.set(r.input, [...(map.get(r.input) ?? []), r]);
  return map;
}

describe('interrupted batch', () => {
  it('killed with SIGKILL mid-run, then run with --resume: every output whole, none redone, no temporary file left', async () => {
    const args = ['batch', input, '--out', output, '--engine', 'cpu', '--jobs', '1', '--quiet'];
    const first = startCli(args);
    let ended = false;
    void first.done.then(() => (ended = true));
    await waitForRecords(5, () => ended);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const firstRecords = await readManifestLines(manifest);
    expect(firstRecords.length).toBeLessThan(COUNT);
    const doneFirst = firstRecords.filter((r) => r.status === 'ok');
    const stamps = new Map<string, { mtimeMs: number; ino: number }>();
    for (const record of doneFirst) {
      for (const o of record.outputs) {
        const s = await stat(path.join(output, o.path));
        stamps.set(o.path, { mtimeMs: s.mtimeMs, ino: s.ino });
      }
    }
    // A temporary file as a kill between write and rename leaves it (named as writeFileAtomic names them).
    const last = outputPathsFor(inputs[COUNT - 1], defaultOutputs(), 'png')[0];
    const stray = path.join(output, path.dirname(last), `.${path.basename(last)}.4242.0123456789ab.tmp`);
    await mkdir(path.dirname(stray), { recursive: true });
    await writeFile(stray, 'half an output');

    const second = await runCli([...args.filter((a) => a !== '--quiet'), '--resume']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/removed [1-9]\d* temporary file\(s\) left by an interrupted run/);
    await expectEveryOutputWhole();

    const records = await readManifestLines(manifest);
    const second_ = records.slice(firstRecords.length);
    for (const [relative, rs] of byInput(records)) {
      // Computed once: ok in one run only (an image finished just before the kill but not yet recorded
      // is found complete and skipped), and the second run records each image exactly once.
      expect(rs.filter((r) => r.status === 'ok').length, relative).toBeLessThanOrEqual(1);
      expect(second_.filter((r) => r.input === relative).length, relative).toBe(1);
    }
    expect(new Set(records.map((r) => r.input))).toEqual(new Set(inputs));
    for (const record of doneFirst) expect(second_.find((r) => r.input === record.input)?.status).toBe('skipped');
    for (const [relative, before] of stamps) {
      const after = await stat(path.join(output, relative));
      expect({ mtimeMs: after.mtimeMs, ino: after.ino }, relative).toEqual(before);
    }
  });

  it('stopped with SIGINT: finishes the images in flight, exits 130, and --resume completes the rest', async () => {
    const args = ['batch', input, '--out', output, '--engine', 'cpu', '--jobs', '1'];
    const first = startCli(args);
    let ended = false;
    void first.done.then(() => (ended = true));
    await waitForRecords(3, () => ended);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('SIGINT: finishing the images in flight, then stopping');
    expect(stopped.stdout).toContain('stopped early: SIGINT was received; run again with --resume to finish');

    const records = await readManifestLines(manifest);
    expect(records.length).toBeLessThan(COUNT);
    expect((await listFiles(output)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const record of records) {
      for (const o of record.outputs) decodePng(await readFile(path.join(output, o.path)), o.path);
    }

    const resumed = await runCli([...args, '--resume']);
    expect(resumed.code).toBe(0);
    await expectEveryOutputWhole();
    const all = await readManifestLines(manifest);
    for (const [relative, rs] of byInput(all)) expect(rs.filter((r) => r.status === 'ok').length, relative).toBe(1);
  });
});

/**
 * A batch under faults, through the real CLI: a full disk while the manifest is written, a second
 * run on the same --out, a stale lock, SIGHUP, a missing input. Each ends in a correct result or a
 * one-line error, with no stack trace, no torn manifest line, no temporary or lock file left, and no
 * result lost.
 */
import { spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/pipeline/batch/manifest.js';
import { acquireOutLock, lockFileName } from '../../src/pipeline/batch/out-lock.js';
import { listFiles, readManifestLines, runCli, startCli, writeSyntheticPngs } from './cli-helpers.js';

let work: string;
let input: string;
let output: string;
let manifest: string;
let inputs: string[];

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'xray-faults-'));
  input = path.join(work, 'in');
  output = path.join(work, 'out');
  manifest = path.join(output, 'manifest.jsonl');
  inputs = await writeSyntheticPngs(input, '', Array.from({ length: 12 }, (_, i) => `img${i}.png`), 48);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const base = () => ['batch', input, '--out', output, '--engine', 'cpu', '--jobs', '1'];

/** No line of stderr is a stack frame, and the error (if any) is one `xray-gpu:` line. */
function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/Unhandled|node:internal/);
}

/** Every manifest line is a whole record and the file ends with a newline. */
async function expectWholeLines(file: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (text !== '') expect(text.endsWith('\n')).toBe(true);
  for (const line of text.split('\n').filter((l) => l !== '')) expect(parseRecord(line), line).toBeDefined();
}

async function expectNoLeftovers(): Promise<void> {
  const files = await listFiles(output);
  expect(files.filter((f) => /\.(tmp|lock|draft)$/.test(f))).toEqual([]);
}

/** Resolves once the manifest holds at least `lines` records. */
async function waitForRecords(lines: number, ended: () => boolean): Promise<void> {
  for (;;) {
    const text = await readFile(manifest, 'utf8').catch(() => '');
    if (text.split('\n').filter((l) => l !== '').length >= lines) return;
    if (ended()) throw new Error(`the batch ended before its manifest held ${lines} records`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('batch: full disk while the manifest is written', () => {
  it('stops with its summary and a one-line reason, exit 1, leaving only whole manifest lines; --resume then finishes', async () => {
    expect((await runCli([...base(), '--quiet'])).code).toBe(0);
    await rm(manifest);
    // The repro: outputs complete, manifest gone, disk full after about two lines.
    const full = await runCli([...base(), '--resume'], { XRAY_TEST_MANIFEST_FULL_AT: '500' });
    expect(full.code).toBe(1);
    expectNoStack(full.stderr);
    expect(full.stdout).toContain(`stopped early: cannot write the manifest ${manifest}: no space left on the device; make room, then run again with --resume`);
    expect(full.stderr).toContain(`xray-gpu: batch: stopped: cannot write the manifest ${manifest}: no space left on the device`);
    await expectWholeLines(manifest);
    const partial = await readManifestLines(manifest);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(inputs.length);
    expect((await readFile(manifest)).length).toBeLessThanOrEqual(500);
    await expectNoLeftovers();

    const resumed = await runCli([...base(), '--resume', '--quiet']);
    expect(resumed.code).toBe(0);
    await expectWholeLines(manifest);
    expect(new Set((await readManifestLines(manifest)).map((r) => r.input))).toEqual(new Set(inputs));
    await expectNoLeftovers();
  });

  it('a disk full before the first line: no line at all, and the same clean stop', async () => {
    const full = await runCli(base(), { XRAY_TEST_MANIFEST_FULL_AT: '0' });
    expect(full.code).toBe(1);
    expectNoStack(full.stderr);
    expect(full.stdout).toContain('batch: 0 images: 0 ok, 0 failed, 0 skipped');
    expect(await readFile(manifest, 'utf8')).toBe('');
    await expectNoLeftovers();
  });

  it('on a real full tmpfs (where mount is allowed): the same clean stop', async (context) => {
    const mountPoint = path.join(work, 'tmpfs');
    await mkdir(mountPoint);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]).status !== 0) {
      context.skip('mount -t tmpfs is not allowed here; the simulated full disk above covers the same path');
    }
    try {
      output = path.join(mountPoint, 'out');
      manifest = path.join(output, 'manifest.jsonl');
      expect((await runCli([...base(), '--quiet'])).code).toBe(0);
      await rm(manifest);
      // Fill the disk but for one page, which the lock takes.
      spawnSync('dd', ['if=/dev/zero', `of=${path.join(mountPoint, 'fill')}`, 'bs=4k']);
      spawnSync('truncate', ['-s', '-4k', path.join(mountPoint, 'fill')]);
      const full = await runCli([...base(), '--resume']);
      expect(full.code).toBe(1);
      expectNoStack(full.stderr);
      expect(full.stderr).toContain('no space left on the device');
      await expectWholeLines(manifest);
      await expectNoLeftovers();
      await rm(path.join(mountPoint, 'fill'));
      expect((await runCli([...base(), '--resume', '--quiet'])).code).toBe(0);
      expect(new Set((await readManifestLines(manifest)).map((r) => r.input))).toEqual(new Set(inputs));
    } finally {
      spawnSync('umount', [mountPoint]);
    }
  });
});

describe('batch: one run per --out', () => {
  it('a second run on a live run’s --out refuses at once naming the first; the first ends with every image ok', async () => {
    inputs = await writeSyntheticPngs(input, 'more', Array.from({ length: 30 }, (_, i) => `m${i}.png`), 160, 7);
    const first = startCli(base());
    let ended = false;
    void first.done.then(() => (ended = true));
    await waitForRecords(2, () => ended);
    const started = performance.now();
    const second = await runCli([...base(), '--resume']);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(second.code).toBe(1);
    expectNoStack(second.stderr);
    const firstPid = first.child.pid;
    expect(second.stderr).toMatch(new RegExp(`^xray-gpu: another batch is writing to this --out \\(pid ${firstPid} on ${hostname()}, started [^)]+: .*batch .*\\); wait for it to end, or use another --out\\n$`));

    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    const records = await readManifestLines(manifest);
    expect(records.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(records.length).toBe(12 + 30);
    await expectNoLeftovers();
  });

  it('a lock left by a dead run on this host is removed and the run goes on', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    await mkdir(output, { recursive: true });
    const owner = { host: hostname(), pid: dead, started: '2026-01-01T00:00:00.000Z', run: 'x', command: 'xray-gpu batch' };
    await writeFile(path.join(output, lockFileName({ index: 0, count: 1 })), JSON.stringify(owner));
    const result = await runCli(base());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`batch: removed a stale lock left by a run that ended without cleaning up (pid ${dead} on ${hostname()}`);
    await expectNoLeftovers();
  });

  it('a lock from another host is not taken over: the message says how to remove it', async () => {
    await mkdir(output, { recursive: true });
    const lock = path.join(output, lockFileName({ index: 0, count: 1 }));
    const owner = { host: 'elsewhere.example', pid: 1, started: '2026-01-01T00:00:00.000Z', run: 'x', command: 'xray-gpu batch in --out out' };
    await writeFile(lock, JSON.stringify(owner));
    const result = await runCli(base());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `xray-gpu: another batch is writing to this --out (pid 1 on elsewhere.example, started 2026-01-01T00:00:00.000Z: xray-gpu batch in --out out); ` +
        `wait for it to end, or use another --out; if it is not running any more, delete ${lock}\n`,
    );
    // Refused before anything else was written.
    expect(await listFiles(output)).toEqual([path.basename(lock)]);
  });

  it('shards I/N and J/N may run side by side; a whole run and a shard, or other shard counts, may not', async () => {
    await mkdir(output, { recursive: true });
    const owner = { host: hostname(), pid: process.pid, started: 'now', run: 'r', command: 'test' };
    const log = () => {};
    const a = await acquireOutLock(output, { index: 0, count: 2 }, owner, log);
    const b = await acquireOutLock(output, { index: 1, count: 2 }, owner, log);
    await expect(acquireOutLock(output, { index: 0, count: 2 }, owner, log)).rejects.toThrow('another batch is writing to this --out');
    await expect(acquireOutLock(output, { index: 0, count: 1 }, owner, log)).rejects.toThrow('another batch is writing to this --out');
    await expect(acquireOutLock(output, { index: 2, count: 3 }, owner, log)).rejects.toThrow('another batch is writing to this --out');
    await a.release();
    await b.release();
    const whole = await acquireOutLock(output, { index: 0, count: 1 }, owner, log);
    await expect(acquireOutLock(output, { index: 1, count: 2 }, owner, log)).rejects.toThrow('another batch is writing to this --out');
    await whole.release();
    expect(await listFiles(output)).toEqual([]);
  });
});

describe('batch: signals and missing inputs', () => {
  it('SIGHUP stops like SIGTERM: images in flight finish, exit 129, no temporary file, --resume finishes', async () => {
    inputs = await writeSyntheticPngs(input, 'more', Array.from({ length: 30 }, (_, i) => `m${i}.png`), 160, 7);
    const first = startCli(base());
    let ended = false;
    void first.done.then(() => (ended = true));
    await waitForRecords(2, () => ended);
    first.child.kill('SIGHUP');
    const stopped = await first.done;
    expect(stopped.code).toBe(129);
    expect(stopped.stdout).toContain('stopped early: SIGHUP was received; run again with --resume to finish');
    await expectWholeLines(manifest);
    await expectNoLeftovers();
    expect((await runCli([...base(), '--resume', '--quiet'])).code).toBe(0);
  });

  it('a missing input directory is one line and does not create --out', async () => {
    const result = await runCli(['batch', path.join(work, 'nope'), '--out', output, '--engine', 'cpu']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`xray-gpu: cannot read input directory ${path.join(work, 'nope')}: no such file\n`);
    await expect(access(output)).rejects.toThrow();
  });
});

describe('batch: names that differ only in their extension', () => {
  it('x.png and x.PNG keep their extensions in their output names: both results kept, each recorded once', async () => {
    await writeSyntheticPngs(input, 'sub', ['x.png'], 40, 3);
    await writeSyntheticPngs(input, 'sub', ['x.PNG'], 40, 4);
    const result = await runCli([...base(), '--ops', 'sobel-magnitude', '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const files = (await listFiles(output)).filter((f) => f.startsWith('sub/'));
    expect(files).toEqual(['sub/x.PNG.sobel-magnitude.png', 'sub/x.png.sobel-magnitude.png']);
    const records = (await readManifestLines(manifest)).filter((r) => r.input.startsWith('sub/'));
    expect(records.map((r) => [r.input, r.status, r.outputs.map((o) => o.path)]).sort()).toEqual([
      ['sub/x.PNG', 'ok', ['sub/x.PNG.sobel-magnitude.png']],
      ['sub/x.png', 'ok', ['sub/x.png.sobel-magnitude.png']],
    ]);
    // The two outputs are the two inputs' own results, not one written twice.
    const [a, b] = await Promise.all(files.map((f) => readFile(path.join(output, f))));
    expect(a.equals(b)).toBe(false);
    // A resume finds both complete.
    const resumed = await runCli([...base(), '--ops', 'sobel-magnitude', '--resume', '--quiet']);
    expect(resumed.code).toBe(0);
    const again = (await readManifestLines(manifest)).slice(records.length + inputs.length);
    expect(again.filter((r) => r.input.startsWith('sub/')).map((r) => r.status)).toEqual(['skipped', 'skipped']);
  });
});

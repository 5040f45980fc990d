/**
 * Interrupting prepare: SIGKILL (nothing cleaned up) and SIGINT (a clean stop), each followed by
 * --resume. No shard may be left half-written or as a temporary file, and the resumed run must give
 * the same bytes as a run never interrupted.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, writeSyntheticPngs } from '../batch/cli-helpers.js';

let work: string;
let input: string;
const args = (out: string) => ['prepare', input, '--out', out, '--size', '64', '--shard-size', '3', '--engine', 'cpu', '--jobs', '1', '--quiet'];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'xray-prepare-interrupt-'));
  input = path.join(work, 'in');
  await writeSyntheticPngs(input, '', Array.from({ length: 24 }, (_, i) => `img${i}.png`), 256, 4);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function shards(out: string): Promise<Record<string, Buffer>> {
  const files = (await readdir(out)).filter((f) => f.endsWith('.npy')).sort();
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(path.join(out, f))] as const)));
}

async function waitForFile(file: string, ended: () => boolean): Promise<void> {
  for (;;) {
    if (await readFile(file).then(() => true, () => false)) return;
    if (ended()) throw new Error(`prepare ended before ${file} appeared`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('prepare interrupted', () => {
  let clean: Record<string, Buffer>;
  beforeAll(async () => {
    const out = path.join(work, 'clean');
    expect((await runCli(args(out))).code).toBe(0);
    clean = await shards(out);
    expect(Object.keys(clean)).toHaveLength(8);
  });

  it.each(['SIGKILL', 'SIGINT'] as const)('%s, then --resume: the same shards as an uninterrupted run, no temporary file', async (signal) => {
    const out = path.join(work, signal);
    const { child, done } = startCli(args(out));
    let ended = false;
    void done.then(() => (ended = true));
    await waitForFile(path.join(out, 'images-00001.index.json'), () => ended);
    child.kill(signal);
    const stopped = await done;
    if (signal === 'SIGINT') {
      expect(stopped.code).toBe(130);
      // A clean stop removes its own temporary file.
      expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } else {
      expect(stopped.signal).toBe('SIGKILL');
    }
    expect(await readdir(out)).not.toContain('index.csv');
    const resumed = await runCli([...args(out), '--resume'].filter((a) => a !== '--quiet'));
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/shards: \d written, [2-7] already complete/);
    expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await shards(out)).toEqual(clean);
    expect(await readFile(path.join(out, 'index.csv'), 'utf8')).toBe(await readFile(path.join(work, 'clean', 'index.csv'), 'utf8'));
  });
});

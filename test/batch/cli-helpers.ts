/**
 * Helpers for the batch CLI tests: synthetic input trees and a way to run the built executable
 * (`node dist/src/cli/main.js batch ...`; `npm test` builds first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../../src/io/png.js';
import { type ManifestRecord, parseRecord } from '../../src/pipeline/batch/manifest.js';
import { mulberry32 } from '../../src/synthetic/prng.js';

export const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const cli = path.join(repoRoot, 'dist/src/cli/main.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `xray-gpu ARGS...`; the returned promise settles when it exits. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, XRAY_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/** A seeded gray image with structure (gradient + bright disc + noise), so every filter has edges. */
export function syntheticImage(width: number, height: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const data = new Uint8Array(width * height);
  const cx = width * (0.3 + 0.4 * random());
  const cy = height * (0.3 + 0.4 * random());
  const r2 = (Math.min(width, height) / 4) ** 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = (x - cx) ** 2 + (y - cy) ** 2 < r2 ? 120 : 0;
      data[y * width + x] = Math.min(255, Math.floor((x / width) * 100 + disc + random() * 30));
    }
  }
  return data;
}

/** Writes `count` synthetic PNGs named `prefix<i>.png` under `dir` and returns their relative paths. */
export async function writeSyntheticPngs(root: string, relativeDir: string, names: readonly string[], size: number, seed = 1): Promise<string[]> {
  await mkdir(path.join(root, relativeDir), { recursive: true });
  const written: string[] = [];
  for (const [i, name] of names.entries()) {
    const relative = path.posix.join(relativeDir, name);
    await writeFile(path.join(root, relative), encodePng({ width: size, height: size, data: syntheticImage(size, size, seed + i) }));
    written.push(relative);
  }
  return written;
}

/** Every record of a manifest file (all lines must be records). */
export async function readManifestLines(file: string): Promise<ManifestRecord[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record = parseRecord(line);
      if (!record) throw new Error(`not a manifest record: ${line}`);
      return record;
    });
}

/** Every file under `dir`, relative, `/`-separated. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * Shared by the tutorial pipeline tests: the built CLI run as a child process (with a deadline, so a
 * process that does not exit by itself fails the test), PNG reading, and headless Chromium.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePng as decodeGrayPng, readPngHeader } from '../../src/io/png.js';
import { screenshotPage } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/golden.js';
import { type Decoded, decodePng as decodeRgbaPng } from '../render/png-helpers.js';

export const CLI = join(REPO_ROOT, 'dist/src/cli/main.js');

export interface CliRun {
  /** Exit status, or null when the process was killed (see `timedOut`). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** True when the process had to be killed at the deadline: it did not exit by itself. */
  timedOut: boolean;
  ms: number;
}

/** Fails early, with the fix, when the CLI has not been built. */
export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before these tests`);
}

/** Runs `node dist/src/cli/main.js ...args`; kills it after `timeoutMs` and says so in `timedOut`. */
export function xray(args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, XRAY_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut, ms: performance.now() - started });
    });
  });
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `xray-${prefix}-`));
}

/**
 * Reads a PNG file with the project's decoder (which checks the structure and every chunk) and
 * returns its size; throws for an invalid file.
 */
export function validPngSize(path: string): { width: number; height: number } {
  const bytes = new Uint8Array(readFileSync(path));
  const header = readPngHeader(bytes, path);
  const gray = decodeGrayPng(bytes, path);
  if (gray.width !== header.width || gray.height !== header.height) throw new Error(`${path}: header and pixels disagree`);
  return { width: header.width, height: header.height };
}

/** Decodes an 8-bit gray PNG file with the project's decoder (Pillow's convert('L') rules). */
export function readGray8(path: string): Uint8Array {
  const { data } = decodeGrayPng(new Uint8Array(readFileSync(path)), path);
  if (!(data instanceof Uint8Array)) throw new Error(`${path}: expected 8-bit pixels, got 16-bit`);
  return data;
}

/** The PNG's pixels as RGBA (gray files come back with r = g = b, a = 255). */
export function readRgba(path: string): Decoded {
  return decodeRgbaPng(new Uint8Array(readFileSync(path)));
}

export { CAN_SCREENSHOT } from '../helpers/chromium.js';

/** A screenshot of a local HTML page in headless Chromium, as RGBA. */
export async function screenshot(htmlPath: string, width: number, height: number, workDir: string): Promise<Decoded> {
  return readRgba(await screenshotPage(htmlPath, width, height, workDir));
}

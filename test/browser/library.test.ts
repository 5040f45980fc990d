/**
 * The package's root entry bundled for a page, as an embedder would (`import { decodeImage,
 * createGpuEngine, createCpuEngine } from 'xray-gpu'`, resolved to the built dist/src/index.js and
 * bundled by esbuild), run in real Chromium: it decodes a PNG and .npy files, the CPU engine matches
 * the SciPy goldens within 1e-6 of the range, the GPU engine (SwiftShader) agrees with the CPU engine
 * within 1e-4 on odd sizes (1x1, 1x7, 37x53); under a CSP without 'wasm-unsafe-eval' the scalar
 * kernels run, say so, and still match SciPy.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpRequest } from '../../src/filters/ops.js';
import { type Image2D, dtypeOf } from '../../src/image.js';
import { encodePng } from '../../src/io/png.js';
import { RUN_BROWSER_TESTS, type StaticServer, launchChromium, pageErrors, serveStatic } from '../helpers/browser.js';
import { GOLDEN_DIR, REPO_ROOT, allowedError, goldenOpCases, loadGoldenExpected, loadGoldenImage, maxAbsDiff } from '../helpers/golden.js';

const ENTRY = join(REPO_ROOT, 'dist', 'src', 'index.js');
/** The odd sizes the GPU engine is checked on, and the 8-bit input that travels as a PNG. */
const INPUTS = ['inputs/random_1x1.npy', 'inputs/random_1x7.npy', 'inputs/structured_37x53.npy', 'inputs/uint8_37x53.npy'];
const PNG_INPUT = 'inputs/uint8_37x53.npy';
const CASES = goldenOpCases().filter((c) => INPUTS.includes(c.input));

/** What the page sends back per input: each engine's outputs in CASES order (for that input). */
interface PageRun {
  simd: boolean;
  decoded: Record<string, { width: number; height: number; dtype: string; data: number[] }>;
  cpu: Record<string, number[][]>;
  gpu: Record<string, number[][]> | null;
}

declare global {
  interface Window {
    runLibrary(files: Record<string, string>, requests: Record<string, OpRequest[]>, withGpu: boolean): Promise<PageRun>;
  }
}

/** The page's script: everything it does goes through the package's public entry. */
const PAGE_SOURCE = `
import { createCpuEngine, createGpuEngine, cpuSimdActive, decodeImage, dtypeOf } from 'xray-gpu';

window.runLibrary = async (files, requests, withGpu) => {
  const cpu = createCpuEngine();
  const gpu = withGpu ? await createGpuEngine({ gpu: navigator.gpu }) : null;
  const run = { simd: cpuSimdActive(), decoded: {}, cpu: {}, gpu: withGpu ? {} : null };
  for (const [name, base64] of Object.entries(files)) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const image = await decodeImage(bytes, { name });
    run.decoded[name] = { width: image.width, height: image.height, dtype: dtypeOf(image.data), data: Array.from(image.data) };
    run.cpu[name] = (await cpu.run(image, requests[name])).map((output) => Array.from(output.data));
    if (gpu) run.gpu[name] = (await gpu.run(image, requests[name])).map((output) => Array.from(output.data));
  }
  await cpu.dispose();
  await gpu?.dispose();
  return run;
};
`;

const PAGE = (csp: string) => `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="icon" href="data:,"><script src="library.js"></script></head><body>library page</body></html>`;

let work: string;
let server: StaticServer;
/** File name in the page -> golden input path. */
const files = new Map<string, string>();

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build before the browser tests`);
  work = await mkdtemp(join(tmpdir(), 'xray-library-'));
  await writeFile(join(work, 'page.js'), PAGE_SOURCE);
  await build({
    entryPoints: [join(work, 'page.js')],
    outfile: join(work, 'library.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    alias: { 'xray-gpu': ENTRY },
    // libjpeg-turbo's Emscripten glue requires these on its Node branch only.
    external: ['fs', 'path'],
    logLevel: 'warning',
  });
  await writeFile(join(work, 'index.html'), PAGE("script-src 'self' 'wasm-unsafe-eval'"));
  await writeFile(join(work, 'strict.html'), PAGE("script-src 'self'"));
  for (const input of INPUTS) {
    if (input === PNG_INPUT) files.set('uint8_37x53.png', input);
    else files.set(input.slice('inputs/'.length), input);
  }
  server = await serveStatic({ '/': work });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The files as base64 (the PNG encoded from the golden 8-bit input), and each file's requests. */
async function pageInputs(): Promise<[Record<string, string>, Record<string, OpRequest[]>]> {
  const bytes: Record<string, string> = {};
  const requests: Record<string, OpRequest[]> = {};
  for (const [name, input] of files) {
    const content = name.endsWith('.png')
      ? encodePng(loadGoldenImage(input) as Image2D<Uint8Array>)
      : await readFile(join(GOLDEN_DIR, input));
    bytes[name] = Buffer.from(content).toString('base64');
    requests[name] = CASES.filter((c) => c.input === input).map((c) => c.request);
  }
  return [bytes, requests];
}

async function runInPage(page: Page, withGpu: boolean): Promise<PageRun> {
  const [bytes, requests] = await pageInputs();
  return page.evaluate((b, r, g) => window.runLibrary(b, r, g), bytes, requests, withGpu);
}

/** The CPU outputs match SciPy within 1e-6 of max(1, range) (exactly where the manifest says 0). */
function expectCpuMatchesScipy(run: PageRun): void {
  for (const [name, input] of files) {
    const cases = CASES.filter((c) => c.input === input);
    expect(run.cpu[name].length).toBe(cases.length);
    cases.forEach((goldenCase, i) => {
      const expected = loadGoldenExpected(goldenCase).data;
      const tolerance = goldenCase.tolerance === 0 ? 0 : 1e-6;
      expect(maxAbsDiff(run.cpu[name][i], expected), `${goldenCase.name} (cpu in Chromium)`).toBeLessThanOrEqual(allowedError(tolerance, expected));
    });
  }
}

function expectDecoded(run: PageRun): void {
  for (const [name, input] of files) {
    const image = loadGoldenImage(input);
    const decoded = run.decoded[name];
    expect({ width: decoded.width, height: decoded.height }, name).toEqual({ width: image.width, height: image.height });
    expect(decoded.dtype, name).toBe(dtypeOf(image.data));
    expect(decoded.data, name).toEqual(Array.from(image.data));
  }
}

describe.skipIf(!RUN_BROWSER_TESTS)("the bundled root entry ('xray-gpu') in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });
  afterAll(async () => browser?.close());

  it('decodes PNG and .npy, the CPU engine (WebAssembly SIMD) matches SciPy within 1e-6, the GPU engine agrees with it within 1e-4 on 1x1, 1x7 and 37x53', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${server.origin}/index.html`);
    const run = await runInPage(page, true);
    expect(errors).toEqual([]);
    expect(run.simd).toBe(true);
    expectDecoded(run);
    expectCpuMatchesScipy(run);
    for (const [name, input] of files) {
      const cases = CASES.filter((c) => c.input === input);
      cases.forEach((goldenCase, i) => {
        const cpu = run.cpu[name][i];
        const gpu = run.gpu![name][i];
        // float32 on the GPU: even a kept mask value is the input rounded to float32.
        expect(maxAbsDiff(gpu, cpu), `${goldenCase.name} (gpu vs cpu in Chromium)`).toBeLessThanOrEqual(allowedError(1e-4, cpu));
      });
    }
    await page.close();
  });

  it("under a CSP without 'wasm-unsafe-eval' the scalar kernels run, cpuSimdActive() says so, and they match SciPy", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/strict.html`);
    const run = await runInPage(page, false);
    expect(run.simd).toBe(false);
    expectDecoded(run);
    expectCpuMatchesScipy(run);
    await page.close();
  });
});

/**
 * The built viewer (npm run build:web) in real Chromium: over HTTP with WebGPU (GPU engine on
 * SwiftShader), over HTTP without it (the CPU engine in a Web Worker), and from file://. Each reaches
 * <body data-status="ready">, and its panels agree with the Node CPU engine: within 1e-4 of the
 * range on the GPU, within 1e-9 on the CPU worker; a control change recomputes only its panels.
 * The training-preparation panels (prepare's crop + resize, then CLAHE on the resized levels) too:
 * CLAHE within 1 level on the GPU, exact on the worker.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centerCrop, decodeImage, decodeNpy, parseResizeSize, toUint8Levels } from '../../src/index.js';
import { parseKernel } from '../../src/pipeline/prepare/settings.js';
import { applyColormap } from '../../src/render/colormap.js';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { type Image2D, dtypeOf } from '../../src/image.js';
import { encodePng } from '../../src/io/png.js';
import type {} from '../../web/src/hooks.js';
import { VIEWER_DEFAULTS, type ViewerParams, panelSpecs } from '../../web/src/panels.js';
import { RUN_BROWSER_TESTS, type StaticServer, launchChromium, openAndWait, pageErrors, serveStatic, waitForSettled } from '../helpers/browser.js';
import { GOLDEN_DIR, REPO_ROOT, findSamplesDir, loadGoldenImage } from '../helpers/golden.js';

const SAMPLES = findSamplesDir();
const SAMPLE = '00000011_001.png';
/** decode stats of 00000011_001.png (DESIGN.md, Testing). */
const SAMPLE_MEAN = 172.52233219146729;

let work: string;
let viewerDir: string;
let server: StaticServer;
let small: Image2D<Uint8Array>;

beforeAll(async () => {
  if (!RUN_BROWSER_TESTS) return;
  work = await mkdtemp(join(tmpdir(), 'xray-viewer-'));
  viewerDir = join(work, 'viewer');
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts', 'build-web.mjs'), '--outdir', viewerDir], { cwd: REPO_ROOT });
  small = loadGoldenImage('inputs/uint8_37x53.npy') as Image2D<Uint8Array>;
  await writeFile(join(work, 'small.png'), encodePng(small));
  server = await serveStatic({ '/viewer/': viewerDir, '/data/': work, '/golden/': GOLDEN_DIR, ...(SAMPLES ? { '/samples/': SAMPLES } : {}) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * The Node CPU engine's value of every computed panel for `params`: the tutorial's ops on the image,
 * and prepare's stages as prepareImage chains them (crop, resize, CLAHE on the 8-bit levels).
 */
async function reference(image: Image2D, params: ViewerParams, prepareOnly = false): Promise<Map<string, Float64Array>> {
  const specs = panelSpecs(params, dtypeOf(image.data)).filter((spec) => spec.request && spec.group === 'tutorial' && !prepareOnly);
  const engine = createCpuEngine();
  const outputs = await engine.run(image, specs.map((spec) => spec.request!));
  const expected = new Map(specs.map((spec, i) => [spec.key, outputs[i].data as Float64Array]));
  const source = params.crop === 'center' ? centerCrop(image) : image;
  const [resized] = await engine.run(source, [{ op: 'resize', ...parseResizeSize(params.size), method: params.resize }]);
  expected.set('resize', resized.data as Float64Array);
  if (image.data instanceof Uint8Array) {
    const kernelSize = params.claheKernel === '' ? undefined : parseKernel(params.claheKernel);
    const levels = { width: resized.width, height: resized.height, data: toUint8Levels(resized.data) };
    const [equalised] = await engine.run(levels, [{ op: 'clahe', clipLimit: params.claheClip, kernelSize }]);
    expected.set('clahe', equalised.data as Float64Array);
  }
  await engine.dispose();
  return expected;
}

/**
 * Compares every panel with the reference: within `tolerance` of max(1, range); CLAHE's levels
 * exactly (`claheLevels` 0) or, on the GPU, within `claheLevels` on 99.9% of pixels (the issue's
 * criterion: the GPU resizes in float32, so a value within float32 rounding of n + 0.5 may round to
 * the other level before CLAHE, as 243.49999995 did on 00000011_001.png); Canny's 0/1 edges may
 * differ in a few pixels on the GPU. Returns each panel's largest difference (relative to the range,
 * in levels for CLAHE), to print.
 */
async function expectPanelsAgree(
  page: Page, image: Image2D, params: ViewerParams, tolerance: number, claheLevels: number, prepareOnly = false,
): Promise<Record<string, number>> {
  const expected = await reference(image, params, prepareOnly);
  const worstOf: Record<string, number> = {};
  for (const [key, want] of expected) {
    const got = await page.evaluate((k) => window.__xray.values(k), key);
    expect(got.length, key).toBe(want.length);
    if (key === 'clahe') {
      const worst = got.reduce((w, v, i) => Math.max(w, Math.abs(v - want[i])), 0);
      if (claheLevels === 0) expect(worst, `${key}: max |viewer - Node CPU| in levels`).toBe(0);
      const over = got.filter((v, i) => Math.abs(v - want[i]) > claheLevels).length;
      expect(over, `${key}: pixels more than ${claheLevels} level(s) off the Node CPU engine`).toBeLessThanOrEqual(Math.floor(want.length * 0.001));
      worstOf[key] = worst;
      continue;
    }
    if (key === 'canny') {
      const differing = got.filter((v, i) => v !== want[i]).length;
      expect(differing, `${key}: pixels that differ`).toBeLessThanOrEqual(tolerance === 0 ? 0 : Math.ceil(want.length * 0.005));
      continue;
    }
    let lo = Infinity;
    let hi = -Infinity;
    let worst = 0;
    want.forEach((v, i) => {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      worst = Math.max(worst, Math.abs(got[i] - v));
    });
    expect(worst, `${key}: max |viewer - Node CPU|`).toBeLessThanOrEqual(tolerance * Math.max(1, hi - lo));
    worstOf[key] = worst / Math.max(1, hi - lo);
  }
  if (!prepareOnly) {
    const original = await page.evaluate(() => window.__xray.values('original'));
    expect(original).toEqual(Array.from(image.data));
  }
  return worstOf;
}

/** Types `value` into the control and waits for the change to be drawn; returns the change's record. */
async function change(page: Page, selector: string, value: string) {
  const before = await page.evaluate(() => window.__xray.changes.length);
  await page.evaluate(
    (s, v) => {
      const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(s)!;
      element.value = v;
      // Number fields apply on input, text fields and choices on change (as when committed): send both.
      if (!(element instanceof HTMLSelectElement)) element.dispatchEvent(new Event('input'));
      element.dispatchEvent(new Event('change'));
    },
    selector,
    value,
  );
  await page.waitForFunction((n) => window.__xray.changes.length > n && document.body.dataset.status !== 'busy', { polling: 20 }, before);
  const settled = await waitForSettled(page);
  expect(settled).toEqual({ status: 'ready', error: undefined });
  return page.evaluate(() => window.__xray.changes.at(-1)!);
}

describe.skipIf(!RUN_BROWSER_TESTS)('the viewer in Chromium with WebGPU (SwiftShader)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });
  afterAll(async () => browser?.close());

  it('over HTTP: a small image reaches ready on the GPU engine, its panels match the Node CPU engine, and changes recompute only their panels', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?engine=gpu&image=/data/small.png`);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    const hooks = await page.evaluate(() => ({ engine: window.__xray.engine, description: window.__xray.description, image: window.__xray.image }));
    expect(hooks.engine).toBe('gpu');
    expect(hooks.description).toMatch(/^gpu/);
    expect(hooks.image).toEqual({ name: 'small.png', width: small.width, height: small.height, dtype: 'uint8' });
    await expectPanelsAgree(page, small, VIEWER_DEFAULTS, 1e-4, 1);
    expect(await page.evaluate(() => window.__xray.panels.resize)).toMatchObject({ width: 224, height: 224, title: 'Resized: 224x224 (skimage.transform.resize)' });

    const cpu = createCpuEngine();
    const stats = await cpu.stats(small);
    expect(await page.evaluate(() => window.__xray.stats)).toEqual(stats);
    const counts = await cpu.histogram(small, { min: stats.min, max: stats.max, bins: 256 });
    expect(await page.evaluate(() => window.__xray.histogram)).toEqual(Array.from(counts));

    const log = await change(page, '#param-logSigma', '2.5');
    expect(log.panels).toEqual(['gaussian-laplace']);
    const threshold = await change(page, '#param-threshold', '100');
    expect(threshold.panels.sort()).toEqual(['mask', 'mask-binary']);
    const canny = await change(page, '#param-cannyHigh', '0.3');
    expect(canny.panels).toEqual(['canny']);
    await expectPanelsAgree(page, small, { ...VIEWER_DEFAULTS, logSigma: 2.5, threshold: 100, cannyHigh: 0.3 }, 1e-4, 1);

    // Training preparation: a shrinking resize (the anti-aliasing Gaussian), then the center crop and CLAHE's own controls.
    expect((await change(page, '#param-size', '20x30')).panels).toEqual(['resize', 'clahe']);
    expect((await change(page, '#param-crop', 'center')).panels).toEqual(['resize', 'clahe']);
    expect((await change(page, '#param-claheClip', '0.05')).panels).toEqual(['clahe']);
    expect((await change(page, '#param-claheKernel', '4x6')).panels).toEqual(['clahe']);
    const prepared = { ...VIEWER_DEFAULTS, logSigma: 2.5, threshold: 100, cannyHigh: 0.3, size: '20x30', crop: 'center' as const, claheClip: 0.05, claheKernel: '4x6' };
    await expectPanelsAgree(page, small, prepared, 1e-4, 1);
    expect((await change(page, '#param-resize', 'area')).panels).toEqual(['resize', 'clahe']);
    await expectPanelsAgree(page, small, { ...prepared, resize: 'area' }, 1e-4, 1);

    const colormap = await change(page, 'figure[data-panel="sobel-magnitude"] select', 'hot');
    expect(colormap.panels).toEqual(['sobel-magnitude']);
    const panel = await page.evaluate(() => window.__xray.panels['sobel-magnitude']);
    expect(panel.colormap).toBe('hot');
    expect(panel.title).toBe('Sobel magnitude, hot');
    await page.close();
  });

  it('?engine=auto (the default) passes over a software adapter for the CPU worker, as the CLI does, saying why', async () => {
    const page = await browser.newPage();
    expect(await openAndWait(page, `${server.origin}/viewer/index.html?image=/data/small.png`)).toEqual({ status: 'ready', error: undefined });
    const hooks = await page.evaluate(() => ({ engine: window.__xray.engine, description: window.__xray.description }));
    expect(hooks.engine).toBe('cpu');
    expect(hooks.description).toMatch(/in a Web Worker \(WebGPU: no hardware GPU: the only adapter is .*; \?engine=gpu takes any adapter\)$/);
    await page.close();
  });

  it('a bad control value is an error line on the page', async () => {
    const page = await browser.newPage();
    await openAndWait(page, `${server.origin}/viewer/index.html?image=/data/small.png`);
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('#param-cannyLow')!;
      input.value = '0.9';
      input.dispatchEvent(new Event('input'));
    });
    expect(await waitForSettled(page)).toEqual({ status: 'error', error: 'Canny low threshold must be <= high threshold, got 0.9 > 0.2' });
    // A training-preparation text field, committed (change) as on Enter.
    await openAndWait(page, `${server.origin}/viewer/index.html?image=/data/small.png`);
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('#param-size')!;
      input.value = '224x';
      input.dispatchEvent(new Event('change'));
    });
    expect(await waitForSettled(page)).toEqual({ status: 'error', error: 'size must be N or HxW with positive integers (e.g. 224 or 320x256), got "224x"' });
    await page.close();
  });

  it('a missing ?image= is an error naming the URL', async () => {
    const page = await browser.newPage();
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?image=/data/absent.png`);
    expect(state).toEqual({ status: 'error', error: '/data/absent.png: HTTP 404 Not Found' });
    await page.close();
  });

  it('a file that is no image is an error naming it', async () => {
    const page = await browser.newPage();
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?image=/viewer/viewer.css`);
    expect(state.status).toBe('error');
    expect(state.error).toMatch(/^viewer\.css: /);
    await page.close();
  });

  it.skipIf(!SAMPLES)(`over HTTP: ChestX-ray8 ${SAMPLE} reaches ready on the GPU engine; times per change`, async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?engine=gpu&image=/samples/${SAMPLE}`, 90_000);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    const hooks = await page.evaluate(() => ({ engine: window.__xray.engine, stats: window.__xray.stats, panels: Object.keys(window.__xray.panels) }));
    expect(hooks.engine).toBe('gpu');
    expect(hooks.stats?.mean).toBe(SAMPLE_MEAN);
    expect(hooks.panels.sort()).toEqual(panelSpecs(VIEWER_DEFAULTS).map((spec) => spec.key).sort());
    const sample = (await decodeImage(await readFile(join(SAMPLES!, SAMPLE)), { name: SAMPLE })) as Image2D<Uint8Array>;
    const worst = await expectPanelsAgree(page, sample, VIEWER_DEFAULTS, 1e-4, 1, true);
    console.log(`viewer on SwiftShader, ${SAMPLE} → 224x224: resize within ${worst.resize.toExponential(1)} of the range, CLAHE at most ${worst.clahe} level(s) off the Node CPU engine`);
    const first = await page.evaluate(() => window.__xray.changes[0]);
    const log = await change(page, '#param-logSigma', '3');
    const threshold = await change(page, '#param-threshold', '120');
    const colormap = await change(page, 'figure[data-panel="gaussian-laplace"] select', 'viridis');
    const size = await change(page, '#param-size', '256');
    const clip = await change(page, '#param-claheClip', '0.02');
    console.log(`viewer on SwiftShader, 1024x1024: first image ${first.ms.toFixed(0)} ms; LoG sigma change ${log.ms.toFixed(0)} ms; threshold change ${threshold.ms.toFixed(0)} ms; colormap change ${colormap.ms.toFixed(0)} ms; size 224 → 256 (resize + CLAHE) ${size.ms.toFixed(0)} ms; CLAHE clip change ${clip.ms.toFixed(0)} ms`);
    await page.close();
  });

  it('from file:// reaches ready: a small image on the GPU engine, the ChestX-ray8 sample on the CPU worker (a blob: worker from file://)', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const viewer = `file://${viewerDir}/index.html`;
    let state = await openAndWait(page, `${viewer}?engine=gpu&image=${encodeURIComponent(`file://${join(work, 'small.png')}`)}`);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    expect(await page.evaluate(() => window.__xray.engine)).toBe('gpu');
    // The sample on the worker keeps this test short: SwiftShader takes some 10 s per 1024x1024 image.
    const image = SAMPLES ? join(SAMPLES, SAMPLE) : join(work, 'small.png');
    state = await openAndWait(page, `${viewer}?engine=cpu&image=${encodeURIComponent(`file://${image}`)}`, 90_000);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    expect(await page.evaluate(() => [window.__xray.engine, window.__xray.image?.width])).toEqual(['cpu', SAMPLES ? 1024 : small.width]);
    await page.close();
  });
});

describe.skipIf(!RUN_BROWSER_TESTS)('the viewer in Chromium without WebGPU', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: false });
  });
  afterAll(async () => browser?.close());

  it('falls back to the CPU engine in a Web Worker, whose panels equal the Node CPU engine', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?image=/data/small.png`);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    const hooks = await page.evaluate(() => ({ engine: window.__xray.engine, description: window.__xray.description }));
    expect(hooks.engine).toBe('cpu');
    expect(hooks.description).toMatch(/^cpu \(float64 reference, WebAssembly SIMD\) in a Web Worker \(/);
    await expectPanelsAgree(page, small, VIEWER_DEFAULTS, 1e-9, 0);
    const log = await change(page, '#param-gradientSigma', '1.5');
    expect(log.panels).toEqual(['gaussian-gradient-magnitude']);
    await expectPanelsAgree(page, small, { ...VIEWER_DEFAULTS, gradientSigma: 1.5 }, 1e-9, 0);
    expect((await change(page, '#param-size', '30x20')).panels).toEqual(['resize', 'clahe']);
    expect((await change(page, '#param-claheKernel', '5')).panels).toEqual(['clahe']);
    await expectPanelsAgree(page, small, { ...VIEWER_DEFAULTS, gradientSigma: 1.5, size: '30x20', claheKernel: '5' }, 1e-9, 0);
    expect((await change(page, '#param-resize', 'area')).panels).toEqual(['resize', 'clahe']);
    expect((await change(page, '#param-crop', 'center')).panels).toEqual(['resize', 'clahe']);
    await expectPanelsAgree(page, small, { ...VIEWER_DEFAULTS, gradientSigma: 1.5, size: '30x20', claheKernel: '5', resize: 'area', crop: 'center' }, 1e-9, 0);
    await page.close();
  });

  it.skipIf(!SAMPLES)(`over HTTP: ChestX-ray8 ${SAMPLE} reaches ready on the CPU worker`, async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?image=/samples/${SAMPLE}`, 90_000);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    expect(await page.evaluate(() => window.__xray.stats?.mean)).toBe(SAMPLE_MEAN);
    const sample = (await decodeImage(await readFile(join(SAMPLES!, SAMPLE)), { name: SAMPLE })) as Image2D<Uint8Array>;
    await expectPanelsAgree(page, sample, VIEWER_DEFAULTS, 1e-9, 0, true);
    const log = await change(page, '#param-logSigma', '3');
    const threshold = await change(page, '#param-threshold', '120');
    const size = await change(page, '#param-size', '256');
    const clip = await change(page, '#param-claheClip', '0.02');
    console.log(`viewer on the CPU worker, 1024x1024: first image ${(await page.evaluate(() => window.__xray.changes[0].ms)).toFixed(0)} ms; LoG sigma change ${log.ms.toFixed(0)} ms; threshold change ${threshold.ms.toFixed(0)} ms; size 224 → 256 (resize + CLAHE) ${size.ms.toFixed(0)} ms; CLAHE clip change ${clip.ms.toFixed(0)} ms`);
    await page.close();
  });

  it('loads the images a desktop shell hands over (window.xrayDesktop, as the Electron preload does) as a series to navigate', async () => {
    const page = await browser.newPage();
    const png = Array.from(await readFile(join(work, 'small.png')));
    await page.evaluateOnNewDocument((bytes) => {
      window.xrayDesktop = {
        openedImages: async () => [
          { name: 'first.png', bytes: Uint8Array.from(bytes) },
          { name: 'second.png', bytes: Uint8Array.from(bytes) },
        ],
      };
    }, png);
    const errors = pageErrors(page);
    const state = await openAndWait(page, `${server.origin}/viewer/index.html`);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    expect(await page.evaluate(() => [window.__xray.image?.name, document.querySelector('#position')!.textContent])).toEqual(['first.png', '1 / 2']);
    await page.click('#next');
    await page.waitForFunction(() => window.__xray.image?.name === 'second.png' && document.body.dataset.status === 'ready', { polling: 20 });
    expect(await page.evaluate(() => document.querySelector('figure[data-panel="original"] figcaption')!.textContent)).toBe('Original: second.png');
    await page.close();
  });

  it('opens a JPEG (the lazily loaded libjpeg-turbo codec, inlined in the viewer) with Pillow\'s pixels', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?image=/golden/jpeg/rgb420-baseline-37x53.jpg`);
    expect(state, errors.join('\n')).toEqual({ status: 'ready', error: undefined });
    const pillow = loadGoldenImage('jpeg/rgb420-baseline-37x53.npy');
    expect(await page.evaluate(() => window.__xray.values('original'))).toEqual(Array.from(pillow.data));
    await page.close();
  });

  it('opens DICOMs of every compressed kind (JPEG-LS, JPEG 2000, RLE: their WebAssembly inlined) as Node decodes them', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    for (const file of ['cxr0_u16_jpeg-ls.dcm', 'cxr0_u12_j2k-lossless.dcm', 'cxr0_s16_rle.dcm']) {
      const state = await openAndWait(page, `${server.origin}/viewer/index.html?engine=cpu&image=/golden/dicom/samples/${file}`);
      expect(state, `${file}: ${errors.join('\n')}`).toEqual({ status: 'ready', error: undefined });
      const node = await decodeImage(new Uint8Array(await readFile(join(GOLDEN_DIR, 'dicom', 'samples', file))), { name: file });
      expect(await page.evaluate(() => window.__xray.values('original')), file).toEqual(Array.from(node.data));
    }
    await page.close();
  });

  it('dropped files become a series, appended after what was there', async () => {
    const page = await browser.newPage();
    expect(await openAndWait(page, `${server.origin}/viewer/index.html?image=/data/small.png`)).toEqual({ status: 'ready', error: undefined });
    const png = Array.from(await readFile(join(work, 'small.png')));
    await page.evaluate((bytes) => {
      const files = new DataTransfer();
      for (const name of ['dropped-a.png', 'dropped-b.png']) files.items.add(new File([Uint8Array.from(bytes)], name, { type: 'image/png' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
    }, png);
    await page.waitForFunction(() => window.__xray.image?.name === 'dropped-a.png' && document.body.dataset.status === 'ready', { polling: 20 });
    expect(await page.evaluate(() => document.querySelector('#position')!.textContent)).toBe('2 / 3');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.__xray.image?.name === 'dropped-b.png' && document.body.dataset.status === 'ready', { polling: 20 });
    await page.close();
  });

  it('downloads a panel as PNG (as shown) and its raw values as .npy', async () => {
    const downloads = join(work, 'downloads');
    const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } });
    const page = await context.newPage();
    expect(await openAndWait(page, `${server.origin}/viewer/index.html?image=/data/small.png`)).toEqual({ status: 'ready', error: undefined });
    await page.click('figure[data-panel="gaussian-laplace"] button[title$="(PNG)"]');
    await page.click('figure[data-panel="gaussian-laplace"] button[title$="(.npy)"]');
    const npyPath = join(downloads, 'small-gaussian-laplace.npy');
    const pngPath = join(downloads, 'small-gaussian-laplace-gray.png');
    await expect.poll(() => existsSync(npyPath) && existsSync(pngPath), { timeout: 10_000 }).toBe(true);
    const npy = decodeNpy(await readFile(npyPath));
    expect(npy.shape).toEqual([small.height, small.width]);
    expect(npy.dtype).toBe('float64');
    expect(Array.from(npy.data)).toEqual(await page.evaluate(() => window.__xray.values('gaussian-laplace')));
    const png = await decodeImage(await readFile(pngPath), { name: pngPath });
    expect([png.width, png.height]).toEqual([small.width, small.height]);
    const gray = applyColormap(npy.data, 'gray');
    expect(Array.from(png.data)).toEqual(Array.from(png.data, (_, i) => gray[4 * i]));
    // A training-preparation panel downloads at its own (resized) size.
    await page.click('figure[data-panel="clahe"] button[title$="(PNG)"]');
    await page.click('figure[data-panel="clahe"] button[title$="(.npy)"]');
    const claheNpy = join(downloads, 'small-clahe.npy');
    const clahePng = join(downloads, 'small-clahe-gray.png');
    await expect.poll(() => existsSync(claheNpy) && existsSync(clahePng), { timeout: 10_000 }).toBe(true);
    const levels = decodeNpy(await readFile(claheNpy));
    expect(levels.shape).toEqual([224, 224]);
    expect(Array.from(levels.data)).toEqual(await page.evaluate(() => window.__xray.values('clahe')));
    const shown = await decodeImage(await readFile(clahePng), { name: clahePng });
    expect([shown.width, shown.height]).toEqual([224, 224]);
    await context.close();
  });

  it('?engine=gpu without WebGPU is an error saying so', async () => {
    const page = await browser.newPage();
    const state = await openAndWait(page, `${server.origin}/viewer/index.html?engine=gpu&image=/data/small.png`);
    expect(state.status).toBe('error');
    expect(state.error).toMatch(/^\?engine=gpu, but /);
    await page.close();
  });
});

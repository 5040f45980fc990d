/** The pipeline's own helpers: input expansion, folder names, panel files. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { decodePng as decodeGrayPng, readPngHeader } from '../../src/io/png.js';
import { computeTutorial } from '../../src/pipeline/compute-tutorial.js';
import { expandInputs } from '../../src/pipeline/inputs.js';
import { runTutorial, uniqueStems } from '../../src/pipeline/run.js';
import { TUTORIAL_DEFAULTS } from '../../src/pipeline/tutorial.js';
import { encodePanelPng, renderPanels } from '../../src/pipeline/tutorial-outputs.js';
import { syntheticSeries } from '../../src/synthetic/phantom.js';
import { decodePng as decodeRgbaPng } from '../render/png-helpers.js';
import { tempDir } from './helpers.js';

describe('expandInputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('inputs');
    mkdirSync(join(dir, 'series'));
    mkdirSync(join(dir, 'empty'));
    for (const name of ['img_10.png', 'img_2.png', 'img_1.PNG', 'scan.npy', 'notes.txt']) writeFileSync(join(dir, 'series', name), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the image files of a directory in natural order, skipping other files', async () => {
    const files = await expandInputs([join(dir, 'series')]);
    expect(files.map((file) => basename(file))).toEqual(['img_1.PNG', 'img_2.png', 'img_10.png', 'scan.npy']);
  });

  it('keeps files, and paths that do not exist, as given and in the order given (a missing file fails alone later)', async () => {
    const a = join(dir, 'series', 'img_10.png');
    const missing = join(dir, 'missing.png');
    expect(await expandInputs([a, missing, join(dir, 'series', 'img_2.png')])).toEqual([a, missing, join(dir, 'series', 'img_2.png')]);
  });

  it('refuses a directory without image files, naming it', async () => {
    await expect(expandInputs([join(dir, 'empty')])).rejects.toThrow(`${join(dir, 'empty')}: directory holds no image files (.png, .jpg, .jpeg, .dcm, .dicom, .npy, or DICOM without extension)`);
  });
});

describe('uniqueStems', () => {
  it('names output folders after the files, numbering repeats', () => {
    expect(uniqueStems(['a.png', 'b.npy', 'a.png', 'a.npy', 'a-2.png'])).toEqual(['a', 'b', 'a-2', 'a-3', 'a-2-2']);
  });
});

describe('panels and their PNG files', () => {
  const engine = createCpuEngine();
  afterAll(() => engine.dispose());
  const image = syntheticSeries({ size: 64, followUps: 1 })[0];

  it('names a chosen colormap in the file name even when it is the only one, fixed gray stages not', async () => {
    const result = await computeTutorial(engine, image, 'x.png', { ...TUTORIAL_DEFAULTS, sobelColormaps: ['gray'], cannyColormaps: ['hot'] });
    expect(renderPanels(result).map((panel) => panel.file)).toEqual([
      'original.png',
      'gaussian-laplace.png',
      'gaussian-gradient-magnitude.png',
      'sobel-magnitude-gray.png',
      'tutorial-canny-hot.png',
      'mask.png',
      'mask-binary.png',
      'canny.png',
    ]);
  });

  it('writes gray panels as 8-bit gray PNGs and coloured ones as RGBA, the same pixels either way', async () => {
    const result = await computeTutorial(engine, image, 'x.png', TUTORIAL_DEFAULTS);
    const panels = renderPanels(result);
    for (const file of ['gaussian-laplace.png', 'sobel-magnitude-hot.png']) {
      const panel = panels.find((p) => p.file === file)!;
      const bytes = encodePanelPng(panel);
      expect(readPngHeader(bytes, file).colorType, file).toBe(file === 'sobel-magnitude-hot.png' ? 6 : 0);
      expect(decodeRgbaPng(bytes).data, file).toEqual(panel.rgba.rgba);
    }
    // The 8-bit gray file holds exactly the gray levels of the panel.
    const log = panels.find((p) => p.file === 'gaussian-laplace.png')!;
    const gray = decodeGrayPng(encodePanelPng(log), 'log').data;
    expect(Array.from(gray)).toEqual(Array.from({ length: gray.length }, (_, i) => log.rgba.rgba[4 * i]));
  });
});

describe('runTutorial on degenerate images', () => {
  const engine = createCpuEngine();
  let out: string;
  beforeAll(() => {
    out = tempDir('degenerate');
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await engine.dispose();
  });

  it("writes every output for a constant image: NumPy's histogram (all pixels in the last bin) and a one-bar plot", async () => {
    const flat = { width: 9, height: 5, data: new Uint8Array(45).fill(7) };
    const summary = await runTutorial([{ name: 'flat.png', image: flat }], { outDir: out, engine, params: TUTORIAL_DEFAULTS, log: () => {} });
    expect(summary.outcomes[0].error).toBeUndefined();
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as { min: number; max: number; histogram: { counts: number[] } };
    expect([stats.min, stats.max]).toEqual([7, 7]);
    // numpy.histogram(x, numpy.linspace(7, 7, 257)) counts every pixel in the last bin.
    expect(stats.histogram.counts.slice(-1)).toEqual([45]);
    expect(stats.histogram.counts.slice(0, -1).every((count) => count === 0)).toBe(true);
    expect(readPngHeader(new Uint8Array(readFileSync(join(out, 'histogram.png'))), 'histogram.png').width).toBeGreaterThan(100);
  });

  it('fails an image holding NaN alone, saying so, and goes on with the next input', async () => {
    const withNaN = { width: 4, height: 3, data: Float32Array.from({ length: 12 }, (_, i) => (i === 5 ? NaN : i)) };
    const good = { width: 4, height: 3, data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) };
    const errors: string[] = [];
    const summary = await runTutorial(
      [
        { name: 'nan.npy', image: withNaN },
        { name: 'good.png', image: good },
      ],
      { outDir: join(out, 'two'), engine, params: TUTORIAL_DEFAULTS, log: () => {}, logError: (line) => errors.push(line) },
    );
    expect(summary.failed).toBe(1);
    expect(errors).toEqual(['[1/2] nan.npy: FAILED: nan.npy holds NaN values: its min, max, mean, median and histogram are undefined (NaN in NumPy)']);
    expect(summary.outcomes[1]).toMatchObject({ name: 'good.png', dir: join(out, 'two', 'good') });
    expect(summary.reportPath).toBe(join(out, 'two', 'report.html'));
  });
});

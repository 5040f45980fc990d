/**
 * `xray-gpu run 00000011_001.png --out DIR --engine cpu --npy` on the real sample, checked against
 * SciPy, skimage and matplotlib (test/golden/tutorial, from scripts/make_tutorial_golden.py): every file the
 * tutorial issue lists, stats.json, the colormapped PNGs, the comparison figure and report.html.
 * Skipped when the samples are absent (set XRAY_SAMPLES).
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { TUTORIAL_DEFAULTS, runStages } from '../../src/pipeline/tutorial.js';
import { GOLDEN_DIR, findSamplesDir } from '../helpers/golden.js';
import { type Decoded, countPixels, isDark, isWhite } from '../render/png-helpers.js';
import { CAN_SCREENSHOT, type CliRun, assertBuilt, readGray8, readRgba, screenshot, tempDir, validPngSize, xray } from './helpers.js';

const samples = findSamplesDir();
if (!samples) console.warn('tutorial run on the real sample skipped: no samples (set XRAY_SAMPLES or add ../shared/data/chestxray8-sample)');

interface Golden {
  image: string;
  shape: [number, number];
  dtype: string;
  stats: { min: number; max: number; mean: number; median: number };
  histogram: { min: number; max: number; bins: number; counts: number[] };
  rows: number[];
  cols: number[];
  stages: { key: string; min: number; max: number; colormaps: string[] }[];
  panels: { stage: string; colormap: string }[];
}

const golden = JSON.parse(readFileSync(join(GOLDEN_DIR, 'tutorial/tutorial_001.json'), 'utf8')) as Golden;
const npy = (file: string) => decodeNpy(new Uint8Array(readFileSync(join(GOLDEN_DIR, 'tutorial', file))), file);
/** [stage][position], in golden.stages order. */
const goldenValues = npy('values.npy');
const goldenNormalised = npy('normalised.npy');
/** [panel][position][rgba], in golden.panels order. */
const goldenRgba = npy('rgba.npy');
const positions = golden.rows.length;

const STAGES = runStages(TUTORIAL_DEFAULTS);
/** The PNG of a stage in a colormap, as the pipeline names it. */
const panelFile = (key: string, cmap: string) => {
  const stage = STAGES.find((s) => s.key === key);
  if (!stage) throw new Error(`no stage ${key}`);
  return stage.colormapInName ? `${key}-${cmap}.png` : `${key}.png`;
};

/** The files the issue lists, as the pipeline names them. */
const EXPECTED_PNGS = [
  'original.png',
  'laplace-of-gaussian.png',
  'gradient-magnitude.png',
  'sobel-gray.png',
  'sobel-CMRmap.png',
  'sobel-hot.png',
  'canny-prism.png',
  'canny-nipy_spectral.png',
  'canny-terrain.png',
  'mask.png',
  'mask-binary.png',
  'canny-true.png',
];

describe.skipIf(!samples)(`xray-gpu run ${golden.image} --engine cpu (real sample)`, () => {
  let out: string;
  let run: CliRun;

  beforeAll(async () => {
    assertBuilt();
    out = tempDir('run-sample');
    run = await xray(['run', join(samples!, golden.image), '--out', out, '--engine', 'cpu', '--npy'], 120_000);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('exits 0 by itself and says which engine ran and where the report is', () => {
    expect(run.timedOut, run.stderr).toBe(false);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('engine: cpu');
    expect(run.stderr).toContain(`report: ${join(out, 'report.html')}`);
  });

  it('writes every file the tutorial issue lists, each PNG valid and 1024x1024', () => {
    const files = readdirSync(out);
    for (const file of [...EXPECTED_PNGS, 'histogram.png', 'stats.json', 'comparison.png', 'report.html']) expect(files).toContain(file);
    for (const file of EXPECTED_PNGS) expect(validPngSize(join(out, file)), file).toEqual({ width: 1024, height: 1024 });
    const histogram = validPngSize(join(out, 'histogram.png'));
    expect(histogram.width).toBeGreaterThan(300);
    expect(histogram.height).toBeGreaterThan(200);
  });

  it('names the PNGs after the stages and colormaps the pipeline defines (one file per panel)', () => {
    const fromStages = STAGES.flatMap((stage) => stage.colormaps.map((cmap) => panelFile(stage.key, cmap)));
    expect(['original.png', ...fromStages]).toEqual(EXPECTED_PNGS);
    // The fixture covers the same stages and colormaps.
    expect(golden.panels).toEqual(STAGES.flatMap((stage) => stage.colormaps.map((colormap) => ({ stage: stage.key, colormap }))));
  });

  it('keeps the original pixels exactly in original.png', () => {
    const original = readGray8(join(out, 'original.png'));
    const sample = readGray8(join(samples!, golden.image));
    expect(original.length).toBe(1024 * 1024);
    expect(Buffer.compare(original, sample)).toBe(0);
  });

  it("writes stats.json with NumPy's dtype, shape, min, max, mean, median and ndimage.histogram counts", () => {
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as Record<string, unknown>;
    expect(stats).toMatchObject({ schema: 'xray-gpu/stats@1', file: golden.image, dtype: golden.dtype, height: golden.shape[0], width: golden.shape[1] });
    // The design's fixed numbers for this sample (12 significant digits, docs/stats.md), and SciPy's counts from the fixture.
    expect(stats).toMatchObject({ mean: 172.522332191, median: 195, min: 0, max: 255 });
    const histogram = stats.histogram as { bins: number; min: number; max: number; counts: number[] };
    expect(histogram.counts).toHaveLength(256);
    expect(histogram.counts.reduce((a, b) => a + b, 0)).toBe(1024 * 1024);
    expect(histogram).toEqual(golden.histogram);
  });

  it("writes each stage's raw values (--npy) equal to SciPy's float64 results (skimage's Canny edges) within 1e-6 of their range", () => {
    golden.stages.forEach((stage, s) => {
      const ours = decodeNpy(new Uint8Array(readFileSync(join(out, `${stage.key}.npy`))), stage.key);
      expect(ours.dtype).toBe('float32');
      expect(ours.shape).toEqual(golden.shape);
      const allowed = 1e-6 * (stage.max - stage.min);
      let worst = 0;
      for (let p = 0; p < positions; p++) {
        const expected = goldenValues.data[s * positions + p];
        const actual = ours.data[golden.rows[p] * golden.shape[1] + golden.cols[p]];
        worst = Math.max(worst, Math.abs(actual - expected));
      }
      expect(worst, `${stage.key}: worst error at the fixture's positions`).toBeLessThanOrEqual(allowed);
    });
  });

  it("colours each panel as matplotlib's cmap(Normalize()(data), bytes=True), at most 1 level off per channel", () => {
    // Normalize maps the stage's values to [0, 1]; the colormap then takes entry trunc(x * 256). A value
    // within 1e-9 of a boundary k/256 can land on either side from rounding alone (our float32/float64
    // arithmetic vs SciPy's), and neighbouring entries of prism or nipy_spectral differ by far more than
    // one level. Those positions are counted instead of compared; with the CPU engine there are none.
    let boundaryPositions = 0;
    golden.panels.forEach((panel, k) => {
      const stageIndex = golden.stages.findIndex((stage) => stage.key === panel.stage);
      const file = panelFile(panel.stage, panel.colormap);
      const image = readRgba(join(out, file));
      const mismatches: string[] = [];
      for (let p = 0; p < positions; p++) {
        const x = goldenNormalised.data[stageIndex * positions + p];
        const boundary = Math.round(x * 256);
        if (boundary > 0 && boundary < 256 && Math.abs(x - boundary / 256) <= 1e-9) {
          boundaryPositions++;
          continue;
        }
        const at = (golden.rows[p] * image.width + golden.cols[p]) * 4;
        for (let c = 0; c < 4; c++) {
          const expected = goldenRgba.data[(k * positions + p) * 4 + c];
          if (Math.abs(image.data[at + c] - expected) > 1) {
            mismatches.push(`(${golden.rows[p]}, ${golden.cols[p]}) channel ${c}: ${image.data[at + c]} vs matplotlib ${expected}`);
          }
        }
      }
      expect(mismatches.slice(0, 5), `${file}: ${mismatches.length} channel values off by more than 1`).toEqual([]);
    });
    expect(boundaryPositions).toBeLessThanOrEqual(0.001 * positions * golden.panels.length);
  });

  it('draws a readable comparison figure: a titled grid with one panel per output', () => {
    const size = validPngSize(join(out, 'comparison.png'));
    expect(size.width).toBeGreaterThanOrEqual(800);
    expect(size.width).toBeLessThanOrEqual(4000);
    expect(size.height).toBeGreaterThanOrEqual(600);
    expect(size.height).toBeLessThanOrEqual(4000);
    const figure = readRgba(join(out, 'comparison.png'));
    const total = figure.width * figure.height;
    expect(1 - countPixels(figure, { x0: 0, y0: 0, x1: figure.width, y1: figure.height }, isWhite) / total).toBeGreaterThan(0.4);

    const panels = findPanels(figure);
    expect(panels).toHaveLength(EXPECTED_PNGS.length);
    for (const panel of panels) {
      expect(panel.x1 - panel.x0, 'panel width').toBeGreaterThanOrEqual(200);
      // A title: dark text in the 36 pixels above each panel, over the panel's columns.
      const titleBand = { x0: panel.x0, y0: panel.y0 - 36, x1: panel.x1, y1: panel.y0 - 1 };
      expect(countPixels(figure, titleBand, isDark), `title over the panel at (${panel.x0}, ${panel.y0})`).toBeGreaterThan(30);
    }
    // The figure's own title, above the first row of panels.
    const top = Math.min(...panels.map((panel) => panel.y0));
    expect(countPixels(figure, { x0: 0, y0: 0, x1: figure.width, y1: top - 40 }, isDark)).toBeGreaterThan(100);
  });

  it('writes a self-contained report.html (every PNG inlined, nothing fetched) that renders in headless Chromium', async (context) => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const sources = [...html.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(EXPECTED_PNGS.length + 2);
    for (const src of sources) expect(src.slice(0, 30)).toMatch(/^data:image\/(png|gif);base64,/);
    expect(html).not.toMatch(/https?:\/\/|src="\/|href=|<script|<link|url\(/i);
    for (const file of [...EXPECTED_PNGS, 'histogram.png', 'comparison.png']) {
      expect(html.includes(readFileSync(join(out, file)).toString('base64')), `${file} inlined`).toBe(true);
    }
    expect(html).toContain('172.5223'); // the mean, in the statistics table

    if (!CAN_SCREENSHOT) {
      context.skip('no Chromium (set XRAY_CHROMIUM, or XRAY_REQUIRE_CHROMIUM=1 to fail instead)');
      return;
    }
    const shot = await screenshot(join(out, 'report.html'), 1200, 1600, out);
    expect([shot.width, shot.height]).toEqual([1200, 1600]);
    const all = { x0: 0, y0: 0, x1: shot.width, y1: shot.height };
    const nonWhite = shot.width * shot.height - countPixels(shot, all, isWhite);
    expect(nonWhite / (shot.width * shot.height)).toBeGreaterThan(0.2); // the comparison figure fills most of the first screen
    expect(countPixels(shot, { x0: 0, y0: 0, x1: shot.width, y1: 60 }, isDark)).toBeGreaterThan(200); // the page title
  });
});

/**
 * The image panels of a figure of square images: bands of rows that are mostly not white (at least
 * 100 rows; text lines are much thinner), then in each band a square panel wherever a non-white
 * column starts outside the panels found so far. (Panels can hold white columns of their own, as the
 * 0/1 mask does, so gaps alone do not separate them.)
 */
function findPanels(figure: Decoded): { x0: number; y0: number; x1: number; y1: number }[] {
  const white = (x: number, y: number) => {
    const i = (y * figure.width + x) * 4;
    return isWhite(figure.data[i], figure.data[i + 1], figure.data[i + 2]);
  };
  const bands: [number, number][] = [];
  let start = -1;
  for (let y = 0; y <= figure.height; y++) {
    let nonWhite = 0;
    if (y < figure.height) for (let x = 0; x < figure.width; x++) if (!white(x, y)) nonWhite++;
    const inside = nonWhite / figure.width > 0.2;
    if (inside && start < 0) start = y;
    if (!inside && start >= 0) {
      if (y - start >= 100) bands.push([start, y]);
      start = -1;
    }
  }
  const panels: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (const [y0, y1] of bands) {
    let end = 0;
    for (let x = 0; x < figure.width; x++) {
      if (x < end) continue;
      let nonWhite = 0;
      for (let y = y0; y < y1; y++) if (!white(x, y)) nonWhite++;
      if (nonWhite === 0) continue;
      end = x + (y1 - y0);
      panels.push({ x0: x, y0, x1: Math.min(end, figure.width), y1 });
    }
  }
  return panels;
}

/**
 * The tutorial pipeline on the GPU engine (one small image: SwiftShader is slow) gives the CPU
 * engine's results: raw values within 1e-4 of their range, masks, statistics and histogram equal,
 * and the same colours except where the two engines' values straddle a colormap entry boundary.
 * Skipped without a WebGPU adapter (XRAY_REQUIRE_GPU=1 makes that a failure).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { decodeNpy } from '../../src/io/npy.js';
import { computeTutorial } from '../../src/pipeline/compute-tutorial.js';
import { runTutorial } from '../../src/pipeline/run.js';
import { TUTORIAL_DEFAULTS } from '../../src/pipeline/tutorial.js';
import { renderPanels, statsJson } from '../../src/pipeline/tutorial-outputs.js';
import { statsRecordJson } from '../../src/stats/record.js';
import { syntheticSeries } from '../../src/synthetic/phantom.js';
import { useGpuEngine } from '../helpers/gpu.js';
import { readGray8, readRgba, tempDir } from './helpers.js';

const gpu = useGpuEngine();
const cpu = createCpuEngine();
const out = tempDir('gpu-run');
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await cpu.dispose();
});

const image = syntheticSeries({ size: 96, followUps: 1 })[0];
/** How far the GPU engine may be from the CPU engine (the design's parity tolerance). */
const TOLERANCE = 1e-4;

gpu.it('runs the whole tutorial on the GPU engine with the CPU engine\'s results', async ({ engine }) => {
  const summary = await runTutorial([{ name: 'chest.png', image }], { outDir: out, engine, params: TUTORIAL_DEFAULTS, npy: true, log: () => {} });
  expect(summary.failed, JSON.stringify(summary.outcomes)).toBe(0);
  const reference = await computeTutorial(cpu, image, 'chest.png', TUTORIAL_DEFAULTS);

  // Raw values.
  for (const { stage, output } of reference.outputs) {
    const ours = decodeNpy(new Uint8Array(readFileSync(join(out, `${stage.key}.npy`))), stage.key).data;
    let lo = Infinity;
    let hi = -Infinity;
    let worst = 0;
    output.data.forEach((v, i) => {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      worst = Math.max(worst, Math.abs(ours[i] - v));
    });
    const exact = stage.key === 'mask' || stage.key === 'mask-binary';
    expect(worst, stage.key).toBeLessThanOrEqual(exact ? 0 : TOLERANCE * Math.max(1, hi - lo));
  }

  // Statistics and histogram of the input: exactly equal.
  const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as unknown;
  // As written: statsRecordJson keeps 12 significant digits.
  expect(stats).toEqual(JSON.parse(statsRecordJson(statsJson(reference))));

  // Colours: the CPU engine's panels, give or take an entry where the value sits on a boundary.
  let straddling = 0;
  let compared = 0;
  // The original keeps its levels; then come the stages, once per colormap, in the panels' order.
  expect(Buffer.compare(readGray8(join(out, 'original.png')), image.data)).toBe(0);
  const [, ...stagePanels] = renderPanels(reference);
  const panelValues = reference.outputs.flatMap(({ stage, output }) => stage.colormaps.map(() => output.data));
  for (const [k, panel] of stagePanels.entries()) {
    const ours = readRgba(join(out, panel.file)).data;
    const values = panelValues[k];
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    for (let p = 0; p < values.length; p++) {
      compared++;
      let off = false;
      for (let c = 0; c < 4; c++) if (Math.abs(ours[4 * p + c] - panel.rgba.rgba[4 * p + c]) > 1) off = true;
      if (!off) continue;
      const x = hi > lo ? (values[p] - lo) / (hi - lo) : 0;
      const nearBoundary = Math.abs(x * 256 - Math.round(x * 256)) <= 2 * TOLERANCE * 256;
      expect(nearBoundary, `${panel.file} pixel ${p}: colours differ at normalised value ${x}, far from an entry boundary`).toBe(true);
      straddling++;
    }
  }
  expect(straddling / compared).toBeLessThan(0.01);

  // The report says the GPU engine ran the filters.
  expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`Engine: ${engine.description}`);
}, 120_000);

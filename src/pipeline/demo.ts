/**
 * The demo: a deterministic synthetic chest-radiograph series (9 follow-ups with a growing nodule,
 * see src/synthetic/phantom.ts) put through the whole tutorial on the best engine available.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Engine } from '../engine.js';
import { writeFileAtomic } from '../io/atomic.js';
import { encodePng } from '../io/png.js';
import { syntheticSeries } from '../synthetic/phantom.js';
import { type RunSummary, runTutorial } from './run.js';
import { TUTORIAL_DEFAULTS } from './tutorial.js';

export interface DemoOptions {
  outDir: string;
  engine: Engine;
  size?: number;
  followUps?: number;
  seed?: number;
  log: (line: string) => void;
  /** Lines about failures; default `log`. */
  logError?: (line: string) => void;
}

export interface DemoSummary extends RunSummary {
  syntheticMs: number;
}

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const { outDir, log } = options;
  const t0 = performance.now();
  const frames = syntheticSeries({ size: options.size, followUps: options.followUps, seed: options.seed });
  const syntheticMs = performance.now() - t0;
  // The inputs are written too, so the demo can be re-run with `xray-gpu run <outDir>/inputs`.
  const inputDir = join(outDir, 'inputs');
  await mkdir(inputDir, { recursive: true });
  const names = frames.map((_, i) => `synthetic_${String(i).padStart(3, '0')}.png`);
  await Promise.all(frames.map((frame, i) => writeFileAtomic(join(inputDir, names[i]), encodePng(frame))));
  log(`synthetic series: ${frames.length} images ${frames[0].width}x${frames[0].height} in ${(syntheticMs / 1000).toFixed(2)} s -> ${inputDir}`);
  const summary = await runTutorial(
    frames.map((image, i) => ({ name: names[i], image })),
    { outDir, engine: options.engine, params: { ...TUTORIAL_DEFAULTS }, log, logError: options.logError },
  );
  // Listed first: it is the first thing that happened.
  const stageMs = new Map([['synthetic images', syntheticMs], ...summary.stageMs]);
  return { ...summary, stageMs, syntheticMs };
}

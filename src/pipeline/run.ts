/**
 * `xray-gpu run`: the whole tutorial for each input image, then the series outputs when there are
 * several images of one size. A bad input fails alone: it is reported and the others go on.
 *
 * Layout: one input writes its files straight into the output folder; several inputs write one
 * folder per image (named after the file, `-2`, `-3`, ... added when two inputs share a name) plus
 * a report.html over all of them, and series.gif and series-strip.png when the images share a size.
 */
import { basename, extname, join, relative } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Engine } from '../engine.js';
import type { ColormapOptions } from '../render/colormap.js';
import { dtypeOf, type Image2D } from '../image.js';
import { writeFileAtomic } from '../io/atomic.js';
import { type ReadImageOptions, readImageFile } from '../io/image-file.js';
import { renderReportHtml, type ReportImage, type ReportStats, type ReportTiming } from '../render/report.js';
import { computeTutorial } from './compute-tutorial.js';
import { type ReadLimits, readLimitOptions } from './read-limits.js';
import { type SeriesFrame, writeSeriesOutputs } from './series-outputs.js';
import type { TutorialParams, TutorialStageKey } from './tutorial.js';
import { previewPng, writeTutorialOutputs } from './tutorial-outputs.js';

/** An input: a file to read, or an image already in memory (the demo's synthetic frames). */
export type RunInput = { path: string } | { name: string; image: Image2D };

/** Options of `runTutorial`. */
export interface RunOptions {
  outDir: string;
  engine: Engine;
  params: TutorialParams;
  /** Also write raw float32 .npy files. */
  npy?: boolean;
  /** The stages to compute and write, by op name (default: all of `runStages`). */
  stages?: readonly TutorialStageKey[];
  /** Write the report.html files (default true). */
  report?: boolean;
  /** Write comparison.png, histogram.png and series-strip.png (default true). */
  figures?: boolean;
  /** The range each stage's panels are coloured over: vmin / vmax or clipPercentile (default: each output's own). */
  display?: ColormapOptions;
  /** Series GIF frame time in ms. */
  gifDelayMs?: number;
  /** How inputs are decoded (pixel limit, DICOM values and frame). */
  read?: ReadImageOptions;
  /** File size cap and memory budget per input. */
  limits?: ReadLimits;
  /** Progress and per-image lines (pass a no-op for --quiet). */
  log: (line: string) => void;
  /** Lines about failures (an input that failed, a series that could not be written); default `log`. */
  logError?: (line: string) => void;
}

/** One image's result in `RunSummary`. */
export interface ImageOutcome {
  name: string;
  /** Where its files are (absent when it failed). */
  dir?: string;
  error?: string;
  ms: number;
}

/** What `runTutorial` did, per image. */
export interface RunSummary {
  outcomes: ImageOutcome[];
  /** Failed inputs, plus 1 when the series outputs could not be written. */
  failed: number;
  /** The report to open first; absent when nothing could be reported (a single input that failed). */
  reportPath?: string;
  /** The series GIF, and the strip unless figures were skipped. */
  series?: { gifPath: string; stripPath?: string };
  /** Total milliseconds per stage over all images. */
  stageMs: Map<string, number>;
}

/** The `run` command as a function: the tutorial's outputs, figures and report for each input, into `options.outDir`. */
export async function runTutorial(inputs: readonly RunInput[], options: RunOptions): Promise<RunSummary> {
  const { outDir, engine, params, log } = options;
  const logError = options.logError ?? log;
  await mkdir(outDir, { recursive: true });
  const single = inputs.length === 1;
  const names = inputs.map((input) => ('path' in input ? basename(input.path) : input.name));
  const dirs = single ? [outDir] : uniqueStems(names).map((folder) => join(outDir, folder));
  const outcomes: ImageOutcome[] = [];
  const frames: SeriesFrame[] = [];
  const figures: ReportImage[] = [];
  const tiles: ReportImage[] = [];
  const statsRows: ReportStats[] = [];
  const timings: ReportTiming[] = [];
  const stageMs = new Map<string, number>();
  const addTiming = (stage: string, engineName: string, ms: number) => {
    timings.push({ stage, engine: engineName, ms });
    stageMs.set(stage, (stageMs.get(stage) ?? 0) + ms);
  };
  let seriesFailed = false;
  let reportPath: string | undefined;

  for (const [index, input] of inputs.entries()) {
    const name = names[index];
    const dir = dirs[index];
    const started = performance.now();
    try {
      const t0 = performance.now();
      const image = 'path' in input ? await readImageFile(input.path, { ...options.read, ...readLimitOptions(options.limits) }) : input.image;
      const decodeMs = performance.now() - t0;
      const result = await computeTutorial(engine, image, name, params, options.stages);
      const written = await writeTutorialOutputs(result, dir, {
        npy: options.npy,
        report: options.report,
        figures: options.figures,
        display: options.display,
        engine: engine.description,
        timings: 'path' in input ? [{ stage: 'decode', engine: 'cpu', ms: decodeMs }] : [],
      });
      if ('path' in input) addTiming('decode', 'cpu', decodeMs);
      addTiming('filters', engine.name, result.timings.filtersMs);
      addTiming('stats + histogram', engine.name, result.timings.statsMs);
      addTiming('colour + PNG encode', 'cpu', written.timings.renderMs);
      addTiming('figures', 'cpu', written.timings.figuresMs);
      addTiming('report', 'cpu', written.timings.reportMs);
      frames.push({ name, image });
      // The top report links each image's own report, shown by a preview of the original.
      tiles.push({ title: name, caption: `${relative(outDir, dir)}/report.html`, bytes: previewPng(written.panels[0]), href: `${relative(outDir, dir)}/report.html` });
      statsRows.push({ name, width: image.width, height: image.height, dtype: dtypeOf(image.data), ...result.stats });
      if (single && (options.report ?? true)) reportPath = join(dir, 'report.html');
      const ms = performance.now() - started;
      outcomes.push({ name, dir, ms });
      log(`[${index + 1}/${inputs.length}] ${name}: ${(ms / 1000).toFixed(2)} s -> ${dir}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes.push({ name, error: message, ms: performance.now() - started });
      logError(`[${index + 1}/${inputs.length}] ${name}: FAILED: ${message}`);
    }
  }

  let series: RunSummary['series'];
  if (frames.length > 1) {
    const t0 = performance.now();
    const sizes = new Set(frames.map((f) => `${f.image.width}x${f.image.height}`));
    if (sizes.size === 1) {
      try {
        const written = await writeSeriesOutputs(frames, outDir, options.gifDelayMs ?? 500, { strip: options.figures ?? true });
        series = { gifPath: written.gifPath, stripPath: written.stripPath };
        // The strip first: the whole series at a glance; the animation under it.
        if (written.strip !== undefined) figures.push({ title: 'Follow-ups side by side', bytes: written.strip, href: 'series-strip.png' });
        figures.push({ title: 'Follow-ups as an animation', bytes: written.reportGif, href: 'series.gif' });
        log(`series: ${written.gifPath}, ${written.stripPath}`);
      } catch (error) {
        seriesFailed = true;
        logError(`series: FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else {
      log(`series: no GIF, the images differ in size (${[...sizes].join(', ')})`);
    }
    addTiming('series GIF + strip', 'cpu', performance.now() - t0);
  }
  if (!single && (options.report ?? true)) {
    const t0 = performance.now();
    const failedNames = outcomes.filter((o) => o.error !== undefined).map((o) => o.name);
    const folders = outcomes.flatMap((o) => (o.dir === undefined ? [] : [relative(outDir, o.dir)]));
    reportPath = join(outDir, 'report.html');
    const html = renderReportHtml({
      title: `xray-gpu report: ${inputs.length} images`,
      summary: [
        `Engine: ${engine.description}`,
        folders.length > 0 ? `Per-image reports: click an image (report.html in each image's folder: ${folders.join(', ')})` : 'No image succeeded',
        ...(failedNames.length > 0 ? [`Failed: ${failedNames.join(', ')}`] : []),
      ],
      figures,
      images: tiles,
      stats: statsRows,
      timings,
    });
    await writeFileAtomic(reportPath, new TextEncoder().encode(html));
    // Counted for the summary only: the page cannot contain the time it took to write itself.
    stageMs.set('report', (stageMs.get('report') ?? 0) + performance.now() - t0);
  }
  const failed = outcomes.filter((o) => o.error !== undefined).length + (seriesFailed ? 1 : 0);
  return { outcomes, failed, reportPath, series, stageMs };
}

/** Output folder names from file names: the stem, with `-2`, `-3`, ... for repeats (a/x.png, b/x.png). */
export function uniqueStems(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const stem = basename(name, extname(name)) || 'image';
    let folder = stem;
    for (let k = 2; used.has(folder); k++) folder = `${stem}-${k}`;
    used.add(folder);
    return folder;
  });
}

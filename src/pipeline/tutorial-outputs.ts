/**
 * Turns one image's tutorial results into what a person looks at: a PNG per stage and colormap
 * (coloured as matplotlib's imshow would: Normalize over the data's range, then the colormap),
 * optional raw float32 .npy files, the histogram plot, stats.json, the comparison figure and a
 * self-contained report.html. Every file is written atomically.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { dtypeOf } from '../image.js';
import { writeFileAtomic } from '../io/atomic.js';
import { encodeNpy } from '../io/npy.js';
import { encodePng, encodePngRgba } from '../io/png.js';
import { colormapImage } from '../render/colormap.js';
import { comparisonFigure, type FigurePanel } from '../render/figure.js';
import { histogramPlot } from '../render/histogram-plot.js';
import { renderReportHtml, type ReportImage, type ReportStats, type ReportTiming } from '../render/report.js';
import type { RgbaImage } from '../render/rgba-image.js';
import { type StatsRecord, statsRecord, statsRecordJson } from '../stats/record.js';
import type { TutorialResult } from './compute-tutorial.js';

export interface TutorialOutputOptions {
  /** Also write each stage's raw float32 result as `<stage>.npy`. */
  npy?: boolean;
  /** Engine description, for the report. */
  engine: string;
  /** Extra timing rows (decode, ...) to show in the report. */
  timings?: readonly ReportTiming[];
}

/** One rendered picture of a stage: its file name, panel title and pixels. */
export interface RenderedPanel {
  file: string;
  title: string;
  rgba: RgbaImage;
}

export interface WrittenTutorial {
  dir: string;
  files: string[];
  /** The panels of the comparison figure (original first), reusable for series figures. */
  panels: RenderedPanel[];
  comparisonPng: Uint8Array;
  histogramPng: Uint8Array;
  /** Milliseconds spent colouring and encoding, drawing figures, and writing the report. */
  timings: { renderMs: number; figuresMs: number; reportMs: number };
}

/** Every panel of the tutorial's comparison: the original, then each stage in each of its colormaps. */
export function renderPanels(result: TutorialResult): RenderedPanel[] {
  const original = result.originalRgba ?? colormapImage(result.image, 'gray');
  const panels: RenderedPanel[] = [{ file: 'original.png', title: `Original: ${result.name}`, rgba: original }];
  for (const { stage, output, colored } of result.outputs) {
    for (const cmap of stage.colormaps) {
      const file = stage.colormapInName ? `${stage.key}-${cmap}.png` : `${stage.key}.png`;
      const title = stage.colormapInName ? `${stage.title}, ${cmap}` : stage.title;
      panels.push({ file, title, rgba: colored?.get(cmap) ?? colormapImage(output, cmap) });
    }
  }
  return panels;
}

/**
 * A panel as PNG bytes. Panels whose colours are all opaque grays (the gray colormap) are written as
 * 8-bit gray PNGs: the same pixels to any viewer, a quarter of the data to compress.
 */
export function encodePanelPng(panel: RenderedPanel): Uint8Array {
  const { width, height, rgba } = panel.rgba;
  const gray = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < gray.length; i++, p += 4) {
    const v = rgba[p];
    if (rgba[p + 1] !== v || rgba[p + 2] !== v || rgba[p + 3] !== 255) return encodePngRgba(width, height, rgba);
    gray[i] = v;
  }
  return encodePng({ width, height, data: gray });
}

export async function writeTutorialOutputs(
  result: TutorialResult,
  dir: string,
  options: TutorialOutputOptions,
): Promise<WrittenTutorial> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const write = async (file: string, bytes: Uint8Array) => {
    const path = join(dir, file);
    await writeFileAtomic(path, bytes);
    files.push(path);
  };

  const t0 = performance.now();
  const panels = renderPanels(result);
  const panelPngs = new Map<RenderedPanel, Uint8Array>();
  for (const panel of panels) {
    // An 8-bit original keeps its own levels (the panel is stretched to its min..max, as imshow shows it).
    const bytes =
      panel.file === 'original.png' && result.image.data instanceof Uint8Array
        ? encodePng({ width: result.image.width, height: result.image.height, data: result.image.data })
        : encodePanelPng(panel);
    panelPngs.set(panel, bytes);
    await write(panel.file, bytes);
  }
  if (options.npy) {
    for (const { stage, output } of result.outputs) {
      const data = output.data instanceof Float32Array ? output.data : Float32Array.from(output.data);
      await write(`${stage.key}.npy`, encodeNpy([output.height, output.width], data));
    }
  }
  const t1 = performance.now();

  const plot = histogramToPlot(result.histogram);
  const histogramPng = histogramPlot(plot.counts, plot.range, { title: `Pixel intensity distribution: ${result.name}` });
  await write('histogram.png', histogramPng);
  const figurePanels: FigurePanel[] = panels.map((panel) => ({ title: panel.title, image: panel.rgba }));
  const comparisonPng = comparisonFigure(figurePanels, { title: `xray-gpu: the tutorial's filters on ${result.name}` });
  await write('comparison.png', comparisonPng);
  await write('stats.json', new TextEncoder().encode(`${statsRecordJson(statsJson(result), 2)}\n`));
  const t2 = performance.now();

  const timings: ReportTiming[] = [
    ...(options.timings ?? []),
    { stage: 'filters', engine: options.engine, ms: result.timings.filtersMs },
    { stage: 'stats + histogram', engine: options.engine, ms: result.timings.statsMs },
    { stage: 'colour + PNG encode', engine: 'cpu', ms: t1 - t0 },
    { stage: 'figures', engine: 'cpu', ms: t2 - t1 },
  ];
  const html = renderReportHtml({
    title: `xray-gpu report: ${result.name}`,
    summary: [`Input: ${result.name} (${result.image.width}x${result.image.height} ${dtypeOf(result.image.data)})`, `Engine: ${options.engine}`],
    figures: [{ title: 'All outputs side by side', bytes: comparisonPng }],
    images: panels.map((panel): ReportImage => ({ title: panel.title, caption: panel.file, bytes: panelPngs.get(panel)! })),
    histogram: { title: 'Pixel intensity histogram', bytes: histogramPng },
    stats: statsRows(result),
    timings,
  });
  await write('report.html', new TextEncoder().encode(html));
  const t3 = performance.now();
  return { dir, files, panels, comparisonPng, histogramPng, timings: { renderMs: t1 - t0, figuresMs: t2 - t1, reportMs: t3 - t2 } };
}

/**
 * The histogram as the plot shows it. A constant image has a zero-width range, where NumPy puts
 * every pixel in the last bin (stats.json keeps that); the plot shows one bar, one level wide, at the value.
 */
function histogramToPlot(histogram: TutorialResult['histogram']): { counts: Uint32Array; range: { min: number; max: number } } {
  const { counts, min, max } = histogram;
  if (min < max) return { counts, range: { min, max } };
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { counts: Uint32Array.of(total), range: { min: min - 0.5, max: max + 0.5 } };
}

/** stats.json: the input's statistics record (schema xray-gpu/stats@1, docs/stats.md) with the histogram the plot shows. */
export function statsJson(result: TutorialResult): StatsRecord {
  return statsRecord({ image: result.image, file: result.name, stats: result.stats, histogram: result.histogram });
}

function statsRows(result: TutorialResult): ReportStats[] {
  const { image, stats } = result;
  return [
    { name: result.name, width: image.width, height: image.height, dtype: dtypeOf(image.data), ...stats },
    ...result.outputs.map(({ stage, output, stats: outputStats }) => ({
      name: stage.title,
      width: output.width,
      height: output.height,
      dtype: dtypeOf(output.data),
      ...outputStats,
    })),
  ];
}

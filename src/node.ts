/**
 * xray-gpu's Node-only API (`xray-gpu/node`): everything of `xray-gpu`, plus Dawn, image files, the
 * tutorial runner and the engine choice. Only what is listed here is public.
 *
 * @packageDocumentation
 */
export * from './index.js';
export { nodeGpu, releaseNodeGpu, nodeGpuBackend } from './platform/node-gpu.js';
export { selectEngine, ENGINE_CHOICES, type EngineChoice, type SelectEngineOptions } from './select-engine.js';
export { readImageFile, writeImageFile, scaleToUint8, type ReadImageOptions, type WriteImageOptions } from './io/image-file.js';
export { readNpyFile, writeNpyFile } from './io/npy-file.js';
// PNG uses node:zlib.
export { decodePng, encodePng, encodePngRgba, readPngHeader, type DecodePngOptions, type EncodePngOptions, type PngHeader } from './io/png.js';
export { encodeGrayGif, type GrayGifOptions } from './io/gif.js';
export { comparisonFigure, stripFigure, type FigurePanel, type ComparisonFigureOptions, type StripFigureOptions } from './render/figure.js';
export { histogramPlot, type BinRange, type HistogramPlotOptions } from './render/histogram-plot.js';
export { renderReportHtml, type ReportContent, type ReportImage, type ReportStats, type ReportTiming } from './render/report.js';
export { computeTutorial, type TutorialResult, type StageOutput } from './pipeline/compute-tutorial.js';
export { runTutorial, type RunInput, type RunOptions, type RunSummary, type ImageOutcome } from './pipeline/run.js';

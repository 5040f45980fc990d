/** xray-gpu's Node-only API (`xray-gpu/node`): Dawn, image files, the tutorial runner, engine choice. */
export * from './index.js';
export { nodeGpu, releaseNodeGpu, nodeGpuBackend } from './platform/node-gpu.js';
export { selectEngine, validateEngineChoice, ENGINE_CHOICES, type EngineChoice } from './select-engine.js';
export { readImageFile, writeImageFile, scaleToUint8 } from './io/image-file.js';
export { readNpyFile, writeNpyFile } from './io/npy-file.js';
export { writeFileAtomic } from './io/atomic.js';
// PNG uses node:zlib.
export { decodePng, encodePng, encodePngRgba, readPngHeader, type DecodePngOptions, type EncodePngOptions } from './io/png.js';
export { encodeGrayGif } from './io/gif.js';
export { comparisonFigure, stripFigure } from './render/figure.js';
export { histogramPlot } from './render/histogram-plot.js';
export { renderReportHtml } from './render/report.js';
export { computeTutorial } from './pipeline/compute-tutorial.js';
export { runTutorial } from './pipeline/run.js';
export { runPrepare, mergePrepared, type PrepareOptions, type PrepareResult } from './pipeline/prepare/runner.js';

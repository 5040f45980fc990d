/**
 * xray-gpu's public API, portable to browsers and Electron (no Node built-ins): the image model, the
 * ops and their validation, both engines, the .npy codec, colormaps and the synthetic series.
 * Node-only pieces (files, Dawn, the tutorial runner, batch) are in ./node.ts (`xray-gpu/node`).
 */
export * from './image.js';
export * from './engine.js';
export * from './filters/boundary.js';
export * from './filters/gaussian.js';
export * from './filters/edges.js';
export * from './filters/ops.js';
export * from './filters/canny.js';
export * from './filters/resize.js';
export * from './filters/clahe.js';
export { roundHalfEven, toUint8Levels } from './filters/uint8.js';
export { resizeSkimage, resizeArea, resizeAreaUint8, centerCrop } from './cpu/resize.js';
export { clahe } from './cpu/clahe.js';
export { prepareImage, type PreparedPixels } from './pipeline/prepare/stages.js';
export { type PrepareSettings, type ClaheSettings, validateSettings as validatePrepareSettings } from './pipeline/prepare/settings.js';
export { float16Bits, float16Value, toFloat16Bits } from './pipeline/prepare/float16.js';
export { createCpuEngine } from './cpu/engine.js';
export { cpuSimdActive, setCpuSimd } from './wasm/kernel.js';
export {
  createGpuEngine,
  GpuEngine,
  INPUT_IMAGE,
  type GpuEngineOptions,
  type GpuTimings,
  type RenderRequest,
  type RenderedOutput,
} from './gpu/engine.js';
export { describeGpu, type GpuDescription, type DescribeGpuOptions } from './gpu/info.js';
export { encodeNpy, decodeNpy, npyToImage, type NpyArray } from './io/npy.js';
export { ImageFileError } from './io/errors.js';
export { COLORMAP_NAMES, type ColormapName, colormapLut, applyColormap, colormapImage } from './render/colormap.js';
export type { RgbaImage } from './render/rgba-image.js';
export { syntheticSeries, syntheticLesions, type SyntheticSeriesOptions } from './synthetic/phantom.js';
export { TUTORIAL_DEFAULTS, tutorialStages, type TutorialParams, type TutorialStage } from './pipeline/tutorial.js';

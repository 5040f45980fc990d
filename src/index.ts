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
export { encodeNpy, decodeNpy, npyToImage, type NpyArray } from './codecs/npy.js';
export { ImageFileError } from './codecs/errors.js';
export { decodeImage, sniffImageKind, type DecodeImageOptions, type ImageKind } from './codecs/decode-image.js';
export { COLORMAP_NAMES, type ColormapName, colormapLut, applyColormap, colormapImage } from './render/colormap.js';
export type { RgbaImage } from './render/rgba-image.js';
export type { DicomAttributes, DicomDecodeOptions, DicomIdentifying, DicomValues } from './codecs/dicom/index.js';
export { syntheticSeries, syntheticLesions, type SyntheticSeriesOptions } from './synthetic/phantom.js';
export { TUTORIAL_DEFAULTS, tutorialStages, type TutorialParams, type TutorialStage } from './pipeline/tutorial.js';

/**
 * xray-gpu's public API, portable to browsers and Electron (no Node built-ins): the image model, the
 * ops and their parameters, both engines, the .npy codec, colormaps, the statistics record and the
 * synthetic series. Node-only pieces (files, Dawn, the tutorial runner) are in ./node.ts (`xray-gpu/node`).
 * Only what is listed here is public; everything else is internal and may change.
 *
 * @packageDocumentation
 */
export { type PixelArray, type DType, type Image2D, type ImageStack, dtypeOf, createImage, imageFrom, toFloat64, stackImages } from './image.js';
export type { Engine, EngineName, ImageStats, HistogramOptions } from './engine.js';
export { BOUNDARY_MODES, type BoundaryMode } from './filters/boundary.js';
export type { Axis } from './filters/edges.js';
export type { CannyParams, ResolvedCannyParams } from './filters/canny.js';
export {
  OP_NAMES,
  OP_SPECS,
  opSpec,
  opRequest,
  validateOp,
  resultSize,
  type OpName,
  type OpRequest,
  type OpRequestOf,
  type OpParams,
  type OpSpec,
  type ParamSpec,
  type ResolvedOp,
  type Sigma,
  type AxisInput,
  type BoundaryParams,
  type GaussianKernelParams,
  type GaussianRequest,
  type GaussianLaplaceRequest,
  type GaussianGradientMagnitudeRequest,
  type SobelRequest,
  type PrewittRequest,
  type LaplaceRequest,
  type SobelMagnitudeRequest,
  type PrewittMagnitudeRequest,
  type FourierGaussianRequest,
  type TutorialCannyRequest,
  type MaskRequest,
  type MaskBinaryRequest,
  type CannyRequest,
  type ResizeRequest,
  type ClaheRequest,
} from './filters/ops.js';
export { RESIZE_METHODS, type ResizeMethod, parseResizeSize } from './filters/resize.js';
export type { ClaheOptions, ResolvedClahe } from './filters/clahe.js';
export { roundHalfEven, toUint8Levels } from './filters/uint8.js';
export { resizeSkimage, resizeArea, resizeAreaUint8, centerCrop } from './cpu/resize.js';
export { clahe } from './cpu/clahe.js';
export { prepareImage, type PreparedPixels } from './pipeline/prepare/stages.js';
export { type PrepareSettings, type ClaheSettings, validateSettings as validatePrepareSettings } from './pipeline/prepare/settings.js';
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
export type { DicomAttributes, DicomDecodeOptions, DicomIdentifying, DicomValues } from './codecs/dicom/index.js';
export {
  COLORMAP_NAMES,
  MATPLOTLIB_COLORMAP_NAMES,
  type ColormapName,
  type MatplotlibColormapName,
  type ColormapOptions,
  colormapLut,
  applyColormap,
  colormapImage,
  displayRange,
  loadColormap,
  loadColormaps,
  isColormapLoaded,
} from './render/colormap.js';
export type { RgbaImage } from './render/rgba-image.js';
export {
  STATS_SCHEMA,
  STATS_PERCENTILES,
  type StatsRecord,
  type StatsPercentiles,
  type StatsHistogram,
  type StatsRecordInput,
  type ComputeStatsOptions,
  statsRecord,
  computeStatsRecord,
  statsRecordJson,
  statsJsonReplacer,
  roundStat,
} from './stats/record.js';
export { syntheticSeries, syntheticLesions, type SyntheticSeriesOptions, type SyntheticLesion } from './synthetic/phantom.js';
export { TUTORIAL_DEFAULTS, tutorialStages, type TutorialParams, type TutorialStage, type TutorialStageKey } from './pipeline/tutorial.js';

/**
 * The WebGPU engine: every op as WGSL compute kernels in float32, checked against the float64 CPU
 * engine (within 1e-4 of the output range; masks, histograms and statistics exactly equal).
 *
 * One run records the whole request graph of an image, or of a batch of same-sized images, into
 * one command encoder and one submit, and reads back only the requested outputs. When the device
 * is lost the next run rebuilds the device and its pipelines and retries the images once.
 */
import type { Engine, HistogramOptions, ImageStats } from '../engine.js';
import { type OpRequest, type ResolvedOp, resultSize, validateRequest } from '../filters/ops.js';
import { scaleToLevels } from '../cpu/fast/levels.js';
import { type Image2D, stackImages } from '../image.js';
import { histogram as hostHistogram, imageStats as hostStats, resolveHistogramOptions } from '../cpu/statistics.js';
import { COLORMAP_NAMES, applyColormap, isColormapName } from '../render/colormap.js';
import type { RgbaImage } from '../render/rgba-image.js';
import { BufferPool, type BufferPoolStats } from './buffer-pool.js';
import { type AcquiredDevice, acquireDevice, describeAdapterLine } from './device.js';
import { FLOAT32_READOUT, type GpuTimings, type Readout, executePlan } from './execute.js';
import { histogramFromLevels, statsFromLevels } from './level-stats.js';
import { INPUT_IMAGE, buildPlan } from './plan.js';
import { cannyGpu } from './canny.js';
import { type SizedOpContext, runSizedOp, runsApart } from './sized-ops.js';
import { recordLevels } from './programs/levels.js';
import { uploadPacked } from './programs/upload.js';
import { Recording } from './recording.js';
import { BufferUsage, MapModeRead } from './usage.js';

export type { GpuTimings } from './execute.js';
export { INPUT_IMAGE } from './plan.js';

/** One output of `runRendered`: what to compute, the colormaps to show it in, and whether to keep its values. */
export interface RenderRequest {
  /** An op on the image, or `INPUT_IMAGE` ('input') for the image itself (e.g. the original panel). */
  source: OpRequest | typeof INPUT_IMAGE;
  /** matplotlib colormap names (see COLORMAP_NAMES in src/render/colormap.ts), each giving one RGBA image. */
  colormaps: readonly string[];
  /** Also read back the float32 values (for statistics or .npy files). Default false. */
  keepFloat?: boolean;
}

/** What `runRendered` returns per request. */
export interface RenderedOutput {
  /** The float32 values; present only when the request set `keepFloat`. */
  float?: Image2D<Float32Array>;
  /** One coloured image per requested colormap, keyed by its name. */
  rgba: Map<string, RgbaImage>;
}

const UINT8_READOUT: Readout = Object.freeze({ kind: 'uint8' });

/** Options of `createGpuEngine`. */
export interface GpuEngineOptions {
  /** The WebGPU entry point: `navigator.gpu` in a browser, Dawn's `create()` in Node (see src/platform/node-gpu.ts). */
  gpu: GPU;
  /** Refuse software adapters such as SwiftShader. */
  requireHardware?: boolean;
  /** Called once with a line describing the adapter, e.g. to print which engine runs. */
  log?: (line: string) => void;
  /**
   * Stage correlation tiles in workgroup memory where the radius allows. Default: on hardware
   * adapters only, since SwiftShader emulates workgroup barriers so slowly that the global-memory
   * kernel is several times faster there. Set it to compare or test either kernel.
   */
  workgroupTiles?: boolean;
}

/** Creates the engine on the adapter `options.gpu` offers (throws when there is none, or it is software and `requireHardware`). */
export async function createGpuEngine(options: GpuEngineOptions): Promise<GpuEngine> {
  const acquired = await acquireDevice(options.gpu, options.requireHardware ?? false);
  const engine = new GpuEngine(options, acquired);
  options.log?.(`engine: ${engine.description}`);
  return engine;
}

interface DeviceState {
  acquired: AcquiredDevice;
  pool: BufferPool;
  lost: boolean;
}

/** How long to wait for `device.lost` after a failure before deciding the failure was something else. */
const LOSS_GRACE_MS = 250;

/** The WebGPU engine (float32 WGSL compute shaders); made by `createGpuEngine`. */
export class GpuEngine implements Engine {
  readonly name = 'gpu' as const;
  readonly description: string;
  /** Timings of the last run/runBatch (see GpuTimings); null before the first. */
  lastTimings: GpuTimings | null = null;
  /** How many times a lost device was replaced. */
  deviceRebuilds = 0;
  private state: DeviceState | undefined;
  private disposed = false;
  /** Runs one call at a time: pooled buffers are shared between recordings. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GpuEngineOptions, acquired: AcquiredDevice) {
    this.state = this.adopt(acquired);
    this.description = describeAdapterLine(acquired);
  }

  /** The current device (it changes after a device loss); for error scopes and diagnostics. */
  get device(): GPUDevice {
    return this.usable().acquired.device;
  }

  /** Whether the adapter is a software one (SwiftShader, a CPU fallback): correct, but far slower than a GPU. */
  get software(): boolean {
    return this.usable().acquired.software;
  }

  /** Whether kernel times come from timestamp queries. */
  get hasTimestamps(): boolean {
    return this.usable().acquired.timestamps;
  }

  /** Bytes and buffers held by the engine's buffer pool (for leak checks). */
  poolStats(): BufferPoolStats {
    return this.usable().pool.stats();
  }

  async run(image: Image2D, requests: readonly OpRequest[]): Promise<Image2D<Float32Array>[]> {
    const [results] = await this.runBatch([image], requests);
    return results;
  }

  async runBatch(images: readonly Image2D[], requests: readonly OpRequest[]): Promise<Image2D<Float32Array>[][]> {
    const { width, height } = stackImages(images);
    const sizes = outputSizes(requests, width, height);
    const outputs = await this.execute(images, requests, requests.map(() => [FLOAT32_READOUT]));
    return outputs.map((row) => row.map(([data], i) => ({ ...sizes[i], data: data as Float32Array })));
  }

  /**
   * Like `runBatch`, but every output comes back as 8 bits, min-max scaled on the GPU with the rule
   * of `scaleToUint8` (src/io/image-file.ts): round((v - min) * 255 / (max - min)) over the finite
   * values, zeros for a constant output. A quarter of the float32 readback. Computed in float32, so
   * a pixel within float32 rounding of a half level may land one level away from scaleToUint8 on the
   * float32 output.
   */
  async runBatchUint8(images: readonly Image2D[], requests: readonly OpRequest[]): Promise<Image2D<Uint8Array>[][]> {
    const { width, height } = stackImages(images);
    const sizes = outputSizes(requests, width, height);
    const outputs = await this.execute(images, requests, requests.map(() => [UINT8_READOUT]));
    return outputs.map((row) => row.map(([data], i) => ({ ...sizes[i], data: data as Uint8Array })));
  }

  /**
   * Computes outputs and colours them on the GPU for display, in one submit with the filters: each
   * output is coloured as `applyColormap` (src/render/colormap.ts, matplotlib's imshow) does, over
   * its own finite min..max: entry trunc((v - min) / (max - min) * 256) of the colormap's 256-entry
   * table (at most 255; entry 0 for a constant output; NaN and infinities transparent black). The
   * range is reduced on the GPU and each colour travels as 4 bytes; float32 values come back only
   * where `keepFloat` asks. Computed in float32, so a pixel within float32 rounding of an entry
   * boundary k/256 may take the neighbouring entry; integer-valued outputs with a range below
   * 65,536 (8- and 16-bit images, masks) colour exactly. `canny` outputs (0/1 edges, computed in
   * their own submits) are coloured on the host, exactly.
   */
  async runRendered(image: Image2D, requests: readonly RenderRequest[]): Promise<RenderedOutput[]> {
    const [outputs] = await this.runBatchRendered([image], requests);
    return outputs;
  }

  /** `runRendered` for a batch of same-sized images, all in one submit; results per image. */
  async runBatchRendered(images: readonly Image2D[], requests: readonly RenderRequest[]): Promise<RenderedOutput[][]> {
    const { width, height } = stackImages(images);
    const readouts = requests.map((request, i) => renderReadouts(request, i));
    const sizes = outputSizes(requests.map((request) => request.source), width, height);
    const outputs = await this.execute(images, requests.map((request) => request.source), readouts);
    return outputs.map((row) => row.map((forms, i) => {
      const rendered: RenderedOutput = { rgba: new Map() };
      const { width, height } = sizes[i];
      forms.forEach((data, k) => {
        const readout = readouts[i][k];
        if (readout.kind === 'rgba') rendered.rgba.set(readout.colormap, { width, height, rgba: data as Uint8Array });
        else rendered.float = { width, height, data: data as Float32Array };
      });
      return rendered;
    }));
  }

  /**
   * Runs `sources` on every image and reads each output back in the forms `readouts` lists for it:
   * outputs per image, per source, per readout.
   */
  private async execute(
    images: readonly Image2D[], sources: readonly (OpRequest | typeof INPUT_IMAGE)[], readouts: readonly (readonly Readout[])[],
  ): Promise<(Float32Array | Uint8Array)[][][]> {
    this.usable();
    stackImages(images); // same size, or an error naming the sizes
    const ops = sources.map((source, i) => (source === INPUT_IMAGE ? source : validateRequest(source, i)));
    if (ops.length === 0) return images.map(() => []);
    // Canny's hysteresis reads changed-flags back between submits, so it runs on its own
    // (./canny.ts); every other op shares one plan and one submit.
    // resize and clahe (./sized-ops.ts) also run apart: results of another size, or from 8-bit levels.
    const plannedIndices = ops.flatMap((op, i) => (op === INPUT_IMAGE || (op.op !== 'canny' && !runsApart(op)) ? [i] : []));
    const plannedOutputs = plannedIndices.length > 0
      ? await this.runPlan(plannedIndices.map((i) => ops[i]), images, plannedIndices.map((i) => readouts[i]))
      : images.map(() => []);
    const results: (Float32Array | Uint8Array)[][][] = [];
    for (const [index, image] of images.entries()) {
      const outputs = plannedOutputs[index][Symbol.iterator]();
      const row: (Float32Array | Uint8Array)[][] = [];
      for (const [i, op] of ops.entries()) {
        if (op !== INPUT_IMAGE && op.op === 'canny') {
          const { edges } = await this.withDevice(`running canny ${image.width}x${image.height}`, (state) =>
            cannyGpu({ device: state.acquired.device, pool: state.pool }, image, op.canny));
          row.push(readouts[i].map((readout) => hostReadout(edges.data, readout)));
        } else if (op !== INPUT_IMAGE && runsApart(op)) {
          const result = await this.withDevice(`running ${op.op} on ${image.width}x${image.height}`, (state) =>
            runSizedOp({ device: state.acquired.device, pool: state.pool }, image, op));
          row.push(readouts[i].map((readout) => hostReadout(result.data, readout)));
        } else {
          row.push(outputs.next().value as (Float32Array | Uint8Array)[]);
        }
      }
      results.push(row);
    }
    return results;
  }

  /** One plan, one submit: the non-canny ops on every image; outputs per image in `ops` order, per readout. */
  private async runPlan(
    ops: (ResolvedOp | typeof INPUT_IMAGE)[], images: readonly Image2D[], readouts: readonly (readonly Readout[])[],
  ): Promise<(Float32Array | Uint8Array)[][][]> {
    const { width, height } = images[0];
    const plan = buildPlan(ops);
    const label = `${ops.map((op) => (op === INPUT_IMAGE ? op : op.op)).join('+')} ${width}x${height}${images.length > 1 ? ` x${images.length}` : ''}`;
    const result = await this.withDevice(`running ${label}`, (state) =>
      executePlan(plan, images, {
        device: state.acquired.device,
        pool: state.pool,
        timestamps: state.acquired.timestamps,
        forceGlobalCorrelate: !(this.options.workgroupTiles ?? !state.acquired.software),
        readouts,
        label,
      }),
    );
    this.lastTimings = result.timings;
    return result.outputs;
  }

  /**
   * ndimage.histogram: 8-bit and 16-bit images are counted per level on the GPU and folded into
   * bins on the host with NumPy's float64 edges; float images are binned on the host (exact).
   */
  async histogram(image: Image2D, histogramOptions?: Partial<HistogramOptions>): Promise<Uint32Array> {
    this.usable();
    const options = await resolveHistogramOptions(histogramOptions, () => this.stats(image));
    const { data } = image;
    if (!(data instanceof Uint8Array || data instanceof Uint16Array)) return hostHistogram(data, options);
    return histogramFromLevels(await this.levelCounts(image as Image2D<Uint8Array | Uint16Array>), options);
  }

  /** min, max, mean, median: from GPU level counts for 8-bit and 16-bit images (exact), else on the host. */
  async stats(image: Image2D): Promise<ImageStats> {
    this.usable();
    const { data } = image;
    if (!(data instanceof Uint8Array || data instanceof Uint16Array)) return hostStats(data);
    return statsFromLevels(await this.levelCounts(image as Image2D<Uint8Array | Uint16Array>));
  }

  /**
   * Runs `work` with the engine's device and buffer pool, one call at a time like every run, and
   * once more on a rebuilt device if the device is lost: for GPU programs outside the op set, such
   * as prepare's per-image stages (src/pipeline/prepare/gpu-stages.ts).
   */
  withContext<T>(what: string, work: (context: SizedOpContext) => Promise<T>): Promise<T> {
    this.usable();
    return this.withDevice(what, (state) => work({ device: state.acquired.device, pool: state.pool }));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => {});
    const state = this.state;
    this.state = undefined;
    if (state) {
      state.pool.destroy();
      state.acquired.device.destroy();
    }
  }

  private async levelCounts(image: Image2D<Uint8Array | Uint16Array>): Promise<Uint32Array> {
    const bits = image.data instanceof Uint8Array ? 8 : 16;
    const count = image.width * image.height;
    return this.withDevice(`counting levels of a ${image.width}x${image.height} image`, async (state) => {
      const { device } = state.acquired;
      const rec = new Recording(device, state.pool, 'levels');
      const levels = bits === 8 ? 256 : 65536;
      const readback = state.pool.acquire(levels * 4, BufferUsage.MAP_READ | BufferUsage.COPY_DST, 'level counts readback');
      rec.pin(readback);
      try {
        const packed = uploadPacked(rec, image, 'levels');
        const counts = recordLevels(rec, packed, count, bits, 'levels');
        rec.endPass();
        rec.encoder.copyBufferToBuffer(counts, 0, readback, 0, levels * 4);
        device.queue.submit([rec.encoder.finish({ label: 'xray-gpu levels commands' })]);
        await readback.mapAsync(MapModeRead);
        const result = new Uint32Array(readback.getMappedRange().slice(0));
        readback.unmap();
        return result;
      } finally {
        rec.endPass();
        rec.releasePinned();
      }
    });
  }

  /**
   * Runs `work` on the current device, one call at a time. If the device is (or turns out to be)
   * lost, rebuilds it and retries once; a second loss is an error.
   */
  private withDevice<T>(what: string, work: (state: DeviceState) => Promise<T>): Promise<T> {
    const attempt = async (): Promise<T> => {
      for (let tries = 0; ; tries++) {
        const state = await this.currentState();
        try {
          return await work(state);
        } catch (error) {
          if (!(await this.wasLost(state))) throw error;
          if (tries >= 1) {
            throw new Error(`the GPU device was lost again while ${what} after being rebuilt once; giving up`, { cause: error });
          }
        }
      }
    };
    const result = this.queue.then(attempt, attempt);
    this.queue = result.catch(() => {});
    return result;
  }

  private async currentState(): Promise<DeviceState> {
    const state = this.usable();
    if (!state.lost) return state;
    state.pool.destroy();
    this.state = undefined;
    try {
      this.state = this.adopt(await acquireDevice(this.options.gpu, this.options.requireHardware ?? false));
    } catch (error) {
      throw new Error('the GPU device was lost and a new one could not be created', { cause: error });
    }
    this.deviceRebuilds++;
    return this.state;
  }

  private async wasLost(state: DeviceState): Promise<boolean> {
    if (state.lost) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => { timer = setTimeout(resolve, LOSS_GRACE_MS); });
    await Promise.race([state.acquired.device.lost, grace]);
    clearTimeout(timer);
    return state.lost;
  }

  private adopt(acquired: AcquiredDevice): DeviceState {
    const { device } = acquired;
    const state: DeviceState = {
      acquired,
      pool: new BufferPool(device, device.limits.maxBufferSize),
      lost: false,
    };
    void device.lost.then((info) => {
      state.lost = true;
      if (!this.disposed && info.reason !== 'destroyed') this.options.log?.(`gpu: device lost (${info.message}); the next run rebuilds it`);
    });
    return state;
  }

  private usable(): DeviceState {
    if (this.disposed || !this.state) throw new Error('the gpu engine was disposed; create a new one with createGpuEngine()');
    return this.state;
  }
}

/** An output computed apart from the plan (Canny's 0/1 edges, resize, clahe) in the form `readout` asks for, on the host. */
function hostReadout(values: Uint8Array | Float32Array, readout: Readout): Float32Array | Uint8Array {
  switch (readout.kind) {
    case 'float32':
      return values instanceof Float32Array ? values : Float32Array.from(values);
    case 'uint8':
      return scaleToLevels(values);
    case 'rgba':
      return applyColormap(values, readout.colormap);
  }
}

/** The size of each source's result (validated here, so a bad request fails before any work). */
function outputSizes(sources: readonly (OpRequest | typeof INPUT_IMAGE)[], width: number, height: number): { width: number; height: number }[] {
  return sources.map((source, i) => {
    if (source === INPUT_IMAGE) return { width, height };
    const [w, h] = resultSize(validateRequest(source, i), width, height);
    return { width: w, height: h };
  });
}

/** The readouts a render request asks for (float32 first when kept, then one per colormap), checked. */
function renderReadouts(request: RenderRequest, index: number): Readout[] {
  const { colormaps } = request;
  if (!Array.isArray(colormaps)) {
    throw new TypeError(`request ${index}: colormaps must be an array of colormap names, got ${JSON.stringify(colormaps)}`);
  }
  const seen = new Set<string>();
  for (const name of colormaps) {
    if (!isColormapName(name)) {
      throw new RangeError(`request ${index}: unknown colormap ${JSON.stringify(name)}; accepted: ${COLORMAP_NAMES.join(', ')}`);
    }
    if (seen.has(name)) throw new RangeError(`request ${index} lists colormap ${name} twice`);
    seen.add(name);
  }
  return [...(request.keepFloat ? [FLOAT32_READOUT] : []), ...colormaps.map((colormap): Readout => ({ kind: 'rgba', colormap }))];
}

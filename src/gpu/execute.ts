/**
 * Records a plan for one image or a batch of same-sized images into one command encoder (one
 * compute pass), submits once, and reads back only the requested outputs, each in the forms asked
 * for (float32, 8-bit, coloured). Intermediate planes go back to the pool as soon as their last
 * reader is recorded, so a batch reuses them image to image.
 */
import type { Image2D } from '../image.js';
import { fourierGaussianFactors } from '../cpu/fourier.js';
import type { BufferPool } from './buffer-pool.js';
import { type Plan, type Step, sourcesOf } from './plan.js';
import { recordCorrelate } from './programs/correlate.js';
import { type PlaneRange, recordColormap, recordPackUint8, recordRange } from './programs/pack.js';
import { recordFourierScale, recordNormalise, recordThreshold } from './programs/pointwise.js';
import { uploadPlane } from './programs/upload.js';
import { Recording } from './recording.js';
import { BufferUsage, MapModeRead } from './usage.js';

/** Where the time of one submit went (milliseconds). */
export interface GpuTimings {
  /** Host time spent validating, planning, packing and staging the inputs and recording commands. */
  uploadMs: number;
  /**
   * GPU time of the compute pass holding every kernel, from timestamp queries; null when the
   * adapter lacks the 'timestamp-query' feature.
   */
  kernelMs: number | null;
  /**
   * From the submit until the results are in JavaScript arrays, less kernelMs when known: the
   * transfers in and out plus the wait for the queue.
   */
  readbackMs: number;
  /** Wall-clock time of the whole call. */
  totalMs: number;
}

export interface ExecuteOptions {
  device: GPUDevice;
  pool: BufferPool;
  timestamps: boolean;
  /** Use the global-memory correlation kernel for every radius (tests cover both kernels this way). */
  forceGlobalCorrelate?: boolean;
  /**
   * What to read back of each plan output: one list per output, in the plan's order. Default: each
   * output's float32 values only.
   */
  readouts?: readonly (readonly Readout[])[];
  label: string;
}

/** One form in which a plan output comes back. */
export type Readout =
  /** The float32 values (a Float32Array). */
  | { kind: 'float32' }
  /** Min-max scaled to 8 bits on the GPU with `scaleToUint8`'s rule (a Uint8Array, a byte per pixel). */
  | { kind: 'uint8' }
  /** Coloured on the GPU with `applyColormap`'s rule over the output's range (a Uint8Array, RGBA per pixel). */
  | { kind: 'rgba'; colormap: string };

export const FLOAT32_READOUT: Readout = Object.freeze({ kind: 'float32' });

export interface ExecuteResult {
  /** Per image, per plan output, per readout (in the order of `ExecuteOptions.readouts`). */
  outputs: (Float32Array | Uint8Array)[][][];
  timings: GpuTimings;
}

/** A buffer to read back: its size and how its bytes are viewed. */
interface Readable {
  buffer: GPUBuffer;
  bytes: number;
  view(bytes: ArrayBuffer): Float32Array | Uint8Array;
}

interface Produced {
  plane: GPUBuffer;
  /** The max reduction of a correlate step with reduceMax. */
  max?: GPUBuffer;
  /** Planes the recording owns pinned (uploads) must not go back to the pool early. */
  recyclable: boolean;
}

const READBACK_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;

/** Runs `plan` on every image (all the same size); results per image in request order. */
export async function executePlan(plan: Plan, images: readonly Image2D[], options: ExecuteOptions): Promise<ExecuteResult> {
  const started = now();
  const { device, pool } = options;
  const { width, height } = images[0];
  const count = width * height;
  checkImageFits(device.limits, width, height);
  const readouts = options.readouts ?? plan.outputs.map(() => [FLOAT32_READOUT]);
  if (readouts.length !== plan.outputs.length) {
    throw new RangeError(`readouts must list one entry per plan output (${plan.outputs.length}), got ${readouts.length}`);
  }

  // Validation and out-of-memory errors surface here as exceptions instead of silently bad output.
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let scopesOpen = true;
  const popScopes = async (): Promise<void> => {
    if (!scopesOpen) return;
    scopesOpen = false;
    const [validation, memory] = await Promise.all([popQuietly(device), popQuietly(device)]);
    if (validation) throw new Error(`WebGPU validation error while running ${options.label}: ${validation.message}`);
    if (memory) {
      throw new RangeError(`the GPU ran out of memory running ${options.label} (${images.length} image(s) of ${width}x${height}): ${memory.message}; try fewer images per batch`);
    }
  };
  const querySet = options.timestamps
    ? device.createQuerySet({ label: `xray-gpu ${options.label} timestamps`, type: 'timestamp', count: 2 })
    : undefined;
  const rec = new Recording(device, pool, options.label,
    querySet ? { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } : undefined);
  const copies = new Map<Readable, GPUBuffer>();
  const transient: GPUBuffer[] = [];
  let timestampBuffer: GPUBuffer | undefined;
  try {
    const weights = rec.upload(plan.weights.length ? plan.weights : new Float32Array(1), `${options.label} weights`);
    const scratch = rec.zeros(4, `${options.label} scratch`);
    const rows = images.map((image, index) => {
      const what = images.length > 1 ? `${options.label} image ${index}` : options.label;
      const produced = recordImage(rec, plan, image, { weights, scratch, forceGlobal: options.forceGlobalCorrelate ?? false, what, transient });
      return recordReadouts(rec, plan.outputs.map((step) => produced.get(step)!.plane), readouts, count, what);
    });
    rec.endPass();
    // Each readable is copied once, even when several requests resolve to it.
    for (const readable of new Set(rows.flat(2))) {
      const copy = pool.acquire(readable.bytes, READBACK_USAGE, `${options.label} readback`);
      rec.pin(copy);
      rec.encoder.copyBufferToBuffer(readable.buffer, 0, copy, 0, readable.bytes);
      copies.set(readable, copy);
    }
    if (querySet) {
      const resolve = pool.acquire(16, BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC, `${options.label} timestamp resolve`);
      timestampBuffer = pool.acquire(16, READBACK_USAGE, `${options.label} timestamp readback`);
      rec.pin(resolve);
      rec.pin(timestampBuffer);
      rec.encoder.resolveQuerySet(querySet, 0, 2, resolve, 0);
      rec.encoder.copyBufferToBuffer(resolve, 0, timestampBuffer, 0, 16);
    }
    const recorded = now();
    device.queue.submit([rec.encoder.finish({ label: `xray-gpu ${options.label} commands` })]);
    await popScopes();

    await Promise.all([...copies.values(), ...(timestampBuffer ? [timestampBuffer] : [])].map((b) => b.mapAsync(MapModeRead)));
    const results = new Map<Readable, Float32Array | Uint8Array>();
    for (const [readable, copy] of copies) {
      results.set(readable, readable.view(copy.getMappedRange(0, readable.bytes).slice(0)));
      copy.unmap();
    }
    let kernelMs: number | null = null;
    if (timestampBuffer) {
      const [begin, end] = new BigUint64Array(timestampBuffer.getMappedRange(), 0, 2);
      kernelMs = end >= begin ? Number(end - begin) / 1e6 : 0;
      timestampBuffer.unmap();
    }
    const done = now();
    const waitMs = done - recorded;
    // Each request gets its own array, even where two requests share an output.
    const handedOut = new Set<Readable>();
    const own = (readable: Readable) => {
      const data = results.get(readable)!;
      if (!handedOut.has(readable)) {
        handedOut.add(readable);
        return data;
      }
      return data.slice();
    };
    return {
      outputs: rows.map((row) => row.map((forms) => forms.map(own))),
      timings: {
        uploadMs: recorded - started,
        kernelMs,
        readbackMs: kernelMs === null ? waitMs : Math.max(0, waitMs - kernelMs),
        totalMs: done - started,
      },
    };
  } finally {
    rec.endPass();
    await popScopes().catch(() => {}); // after a failure during recording: close the scopes, keep the first error
    for (const buffer of transient) pool.release(buffer);
    rec.releasePinned();
    querySet?.destroy();
  }
}

/**
 * Records the readouts of one image's output planes: float32 planes are read as they are; 8-bit and
 * coloured forms share one range reduction per plane, and each distinct (plane, form) is recorded once.
 */
function recordReadouts(
  rec: Recording, planes: readonly GPUBuffer[], readouts: readonly (readonly Readout[])[], count: number, what: string,
): Readable[][] {
  const ranges = new Map<GPUBuffer, PlaneRange>();
  const rangeOf = (plane: GPUBuffer, index: number) => {
    let range = ranges.get(plane);
    if (!range) {
      range = recordRange(rec, plane, count, `${what} output ${index}`);
      ranges.set(plane, range);
    }
    return range;
  };
  const recorded = new Map<GPUBuffer, Map<string, Readable>>();
  return planes.map((plane, index) => readouts[index].map((readout) => {
    const key = readout.kind === 'rgba' ? `rgba:${readout.colormap}` : readout.kind;
    let forms = recorded.get(plane);
    if (!forms) {
      forms = new Map();
      recorded.set(plane, forms);
    }
    let readable = forms.get(key);
    if (!readable) {
      const output = `${what} output ${index}`;
      switch (readout.kind) {
        case 'float32':
          readable = { buffer: plane, bytes: count * 4, view: (bytes) => new Float32Array(bytes) };
          break;
        case 'uint8':
          readable = {
            buffer: recordPackUint8(rec, rangeOf(plane, index), output),
            bytes: Math.ceil(count / 4) * 4,
            view: (bytes) => new Uint8Array(bytes, 0, count),
          };
          break;
        case 'rgba':
          readable = {
            buffer: recordColormap(rec, rangeOf(plane, index), readout.colormap, output),
            bytes: count * 4,
            view: (bytes) => new Uint8Array(bytes),
          };
          break;
      }
      forms.set(key, readable);
    }
    return readable;
  }));
}

interface ImageContext {
  weights: GPUBuffer;
  scratch: GPUBuffer;
  forceGlobal: boolean;
  what: string;
  /** Planes still held at the end of the recording (outputs), released once the GPU is done. */
  transient: GPUBuffer[];
}

/** Records every step for one image; returns what each step produced. */
function recordImage(rec: Recording, plan: Plan, image: Image2D, ctx: ImageContext): Map<Step, Produced> {
  const { width, height } = image;
  const count = width * height;
  const produced = new Map<Step, Produced>();
  const unread = new Map(plan.readers);
  const outputs = new Set(plan.outputs);

  const consume = (source: Step) => {
    const left = (unread.get(source) ?? 0) - 1;
    unread.set(source, left);
    const entry = produced.get(source)!;
    if (left === 0 && !outputs.has(source) && entry.recyclable) rec.pool.release(entry.plane);
  };
  const newPlane = (step: Step) => rec.plane(count, `${ctx.what} ${step.kind} ${step.id}`);

  for (const step of plan.steps) {
    const what = `${ctx.what} step ${step.id} ${step.kind}`;
    switch (step.kind) {
      case 'input':
        produced.set(step, { plane: uploadPlane(rec, image, ctx.what), recyclable: false });
        break;
      case 'correlate': {
        const dst = newPlane(step);
        const max = step.reduceMax ? rec.zeros(4, `${what} max`) : undefined;
        recordCorrelate(rec, {
          width, height, src: produced.get(step.src)!.plane, axis: step.axis, weights: ctx.weights,
          weightOffset: step.weightOffset, radius: step.radius, mode: step.mode, cval: step.cval,
          epilogue: step.epilogue, acc: step.acc && produced.get(step.acc)!.plane, max, forceGlobal: ctx.forceGlobal,
        }, dst, ctx.scratch, what);
        produced.set(step, { plane: dst, max, recyclable: true });
        break;
      }
      case 'threshold': {
        const dst = newPlane(step);
        recordThreshold(rec, produced.get(step.src)!.plane, dst, count, step.threshold, step.binary, what);
        produced.set(step, { plane: dst, recyclable: true });
        break;
      }
      case 'normalise': {
        const dst = newPlane(step);
        const src = produced.get(step.src)!;
        recordNormalise(rec, src.plane, src.max!, dst, count, what);
        produced.set(step, { plane: dst, recyclable: true });
        break;
      }
      case 'fourier': {
        const dst = newPlane(step);
        recordFourierScale(rec, produced.get(step.src)!.plane, dst, width, height,
          fourierGaussianFactors(step.sigma[0], height), fourierGaussianFactors(step.sigma[1], width), what);
        produced.set(step, { plane: dst, recyclable: true });
        break;
      }
    }
    for (const source of sourcesOf(step)) consume(source);
  }
  // Outputs stay until the copies to the readback buffers have run.
  for (const step of outputs) {
    const entry = produced.get(step)!;
    if (entry.recyclable && !ctx.transient.includes(entry.plane)) ctx.transient.push(entry.plane);
  }
  return produced;
}

/** A clear error when one float32 plane of the image is beyond what the device can bind. */
export function checkImageFits(
  limits: Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>, width: number, height: number,
): void {
  const bytes = width * height * 4;
  const { maxStorageBufferBindingSize, maxBufferSize } = limits;
  if (bytes > maxStorageBufferBindingSize) {
    throw new RangeError(`a ${width}x${height} image needs ${bytes}-byte float32 planes, above this device's maxStorageBufferBindingSize of ${maxStorageBufferBindingSize} bytes`);
  }
  if (bytes > maxBufferSize) {
    throw new RangeError(`a ${width}x${height} image needs ${bytes}-byte float32 planes, above this device's maxBufferSize of ${maxBufferSize} bytes`);
  }
}

/** popErrorScope, with a lost device's rejection read as "no error" (the loss is handled by the engine). */
async function popQuietly(device: GPUDevice): Promise<GPUError | null> {
  try {
    return await device.popErrorScope();
  } catch {
    return null;
  }
}

function now(): number {
  return performance.now();
}

/**
 * How one image gets done, once the runner has decided to do it:
 *   WorkerProcessor (CPU engine): one worker task per image (read, decode, compute, encode, write).
 *   GpuProcessor (GPU engine): a worker decodes; the image waits in a queue for the GPU, which takes up
 *     to `batchSize` same-sized images per submit (one `runBatch`); a worker encodes and writes. While
 *     one submit runs, the next images are decoding, so codec work and GPU work overlap.
 */
import type { Engine } from '../../engine.js';
import type { OpRequest } from '../../filters/ops.js';
import { GpuEngine } from '../../gpu/engine.js';
import type { Image2D } from '../../image.js';
import type { ManifestRecord, StageTimings } from './manifest.js';
import type { OutputFormat } from './output-plan.js';
import type { ReadLimits } from '../read-limits.js';
import type { WalkEntry } from './walk.js';
import type { BatchWorkerPool } from './worker-pool.js';
import type { DecodeResult, OutputTarget, SeriesFrame, TaskFailure } from './worker-protocol.js';
import type { DecodeImageOptions } from '../../codecs/decode-image.js';

/** What every image of a batch shares. */
export interface ProcessorSettings {
  requests: readonly OpRequest[];
  format: OutputFormat;
  pngLevel?: number;
  maxPixels: number;
  /** DICOM inputs: which values the pixels become, and the frame (defaults: display, 0). */
  dicomValues?: DecodeImageOptions['dicomValues'];
  frame?: number;
  /** File size cap and memory budget per image. */
  limits?: ReadLimits;
  /** Longest side of series frames (used only for images that want one). */
  frameSide: number;
}

export interface ImageDone {
  ok: true;
  width: number;
  height: number;
  outputs: ManifestRecord['outputs'];
  timings: StageTimings;
  series?: SeriesFrame;
}

export interface Processor {
  process(entry: WalkEntry, targets: OutputTarget[], wantsFrame: boolean): Promise<ImageDone | TaskFailure>;
  /** Decodes an input for its series frame only (its outputs are complete). */
  frameOnly(entry: WalkEntry): Promise<DecodeResult | TaskFailure>;
  close(): Promise<void>;
}

/** The CPU path: one worker task per image. */
export class WorkerProcessor implements Processor {
  constructor(
    private readonly pool: BatchWorkerPool,
    private readonly settings: ProcessorSettings,
  ) {}

  async process(entry: WalkEntry, targets: OutputTarget[], wantsFrame: boolean): Promise<ImageDone | TaskFailure> {
    const result = await this.pool.process({
      kind: 'process',
      input: entry.path,
      outputs: targets,
      format: this.settings.format,
      pngLevel: this.settings.pngLevel,
      maxPixels: this.settings.maxPixels,
      dicomValues: this.settings.dicomValues,
      frame: this.settings.frame,
      limits: this.settings.limits,
      series: wantsFrame ? { maxSide: this.settings.frameSide } : undefined,
    });
    if (!result.ok) return result;
    return {
      ok: true,
      width: result.width,
      height: result.height,
      outputs: result.outputs,
      timings: { decodeMs: result.decodeMs, computeMs: result.computeMs, encodeMs: result.encodeMs },
      series: result.series,
    };
  }

  frameOnly(entry: WalkEntry): Promise<DecodeResult | TaskFailure> {
    return frameOnly(this.pool, this.settings, entry);
  }

  async close(): Promise<void> {}
}

function frameOnly(pool: BatchWorkerPool, settings: ProcessorSettings, entry: WalkEntry): Promise<DecodeResult | TaskFailure> {
  return pool.decode({
    kind: 'decode',
    input: entry.path,
    maxPixels: settings.maxPixels,
    dicomValues: settings.dicomValues,
    frame: settings.frame,
    limits: settings.limits,
    series: { maxSide: settings.frameSide },
  });
}

interface Queued {
  image: Image2D<Uint8Array | Uint16Array>;
  settle: (result: { ok: true; data: (Float32Array | Float64Array | Uint8Array)[]; ms: number } | { ok: false; error: unknown }) => void;
}

/**
 * The GPU path: decode in a worker, then queue for the GPU; while one `runBatch` runs, decoded images
 * pile up, and the next call takes up to `batchSize` of the same size at once (one submit).
 */
export class GpuProcessor implements Processor {
  private readonly queue: Queued[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: BatchWorkerPool,
    private readonly engine: Engine,
    private readonly settings: ProcessorSettings,
    private readonly batchSize: number,
  ) {}

  async process(entry: WalkEntry, targets: OutputTarget[], wantsFrame: boolean): Promise<ImageDone | TaskFailure> {
    const decoded = await this.pool.decode({
      kind: 'decode',
      input: entry.path,
      maxPixels: this.settings.maxPixels,
      dicomValues: this.settings.dicomValues,
      frame: this.settings.frame,
      limits: this.settings.limits,
      series: wantsFrame ? { maxSide: this.settings.frameSide } : undefined,
    });
    if (!decoded.ok) return decoded;
    const image = { width: decoded.width, height: decoded.height, data: decoded.pixels };
    const computed = await this.compute(image);
    if (!computed.ok) {
      return { ok: false, reason: `GPU engine failed: ${computed.error instanceof Error ? computed.error.message : String(computed.error)}` };
    }
    const encoded = await this.pool.encode({
      kind: 'encode',
      width: image.width,
      height: image.height,
      results: computed.data,
      outputs: targets,
      format: this.settings.format,
      pngLevel: this.settings.pngLevel,
    });
    if (!encoded.ok) return encoded;
    return {
      ok: true,
      width: image.width,
      height: image.height,
      outputs: encoded.outputs,
      timings: { decodeMs: decoded.decodeMs, computeMs: computed.ms, encodeMs: encoded.encodeMs },
      series: decoded.series,
    };
  }

  frameOnly(entry: WalkEntry): Promise<DecodeResult | TaskFailure> {
    return frameOnly(this.pool, this.settings, entry);
  }

  async close(): Promise<void> {
    await this.running;
  }

  private compute(image: Image2D<Uint8Array | Uint16Array>): Promise<Parameters<Queued['settle']>[0]> {
    return new Promise((settle) => {
      this.queue.push({ image, settle });
      this.running ??= this.drain().finally(() => {
        this.running = undefined;
      });
    });
  }

  private async drain(): Promise<void> {
    const requests = this.settings.requests;
    while (this.queue.length > 0) {
      const { width, height } = this.queue[0].image;
      const batch: Queued[] = [];
      for (let i = 0; i < this.queue.length && batch.length < this.batchSize; ) {
        const item = this.queue[i];
        if (item.image.width === width && item.image.height === height) {
          batch.push(item);
          this.queue.splice(i, 1);
        } else i++;
      }
      const start = performance.now();
      const images = batch.map((b) => b.image);
      try {
        // PNG outputs: scaled to 8 bits on the GPU, a quarter of the readback and no scaling pass here.
        const results =
          this.settings.format === 'png' && this.engine instanceof GpuEngine
            ? await this.engine.runBatchUint8(images, requests)
            : await this.engine.runBatch(images, requests);
        // The submit's time is shared by the images in it.
        const ms = (performance.now() - start) / batch.length;
        batch.forEach((item, i) => item.settle({ ok: true, data: results[i].map((r) => ownedCopy(r.data)), ms }));
      } catch (error) {
        for (const item of batch) item.settle({ ok: false, error });
      }
    }
  }
}

/** A result that owns its whole buffer, so it can move to a worker without detaching another result. */
function ownedCopy(data: Float32Array | Float64Array | Uint8Array): Float32Array | Float64Array | Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}

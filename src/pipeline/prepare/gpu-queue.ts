/**
 * prepare's images waiting for the GPU: one batch on the GPU at a time, and every image decoded
 * meanwhile goes into the next batch (up to MAX_BATCH), so a GPU round trip is paid per batch
 * rather than per image while the batches stay as small as the decoders' pace allows. A batch that
 * fails is retried image by image, so that one image the GPU refuses (a size past the device's
 * limits) fails alone.
 */
import type { Image2D } from '../../image.js';
import type { PreparedPixels } from './stages.js';

/** Images per submit at most: bounds the GPU memory a batch holds (up to a few tens of MB per 1024x1024 image). */
export const MAX_BATCH = 16;

interface Waiting {
  image: Image2D<Uint8Array>;
  resolve: (pixels: PreparedPixels) => void;
  reject: (error: unknown) => void;
}

/** Computes a batch's rows, in order (compute.ts: prepareImagesGpu on the engine's device). */
export type BatchCompute = (images: Image2D<Uint8Array>[]) => Promise<PreparedPixels[]>;

export class GpuPrepareQueue {
  private readonly waiting: Waiting[] = [];
  private busy = false;

  constructor(private readonly compute: BatchCompute) {}

  /** The image's shard row, computed with the images queued beside it. */
  prepare(image: Image2D<Uint8Array>): Promise<PreparedPixels> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ image, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.busy || this.waiting.length === 0) return;
    this.busy = true;
    const batch = this.waiting.splice(0, MAX_BATCH);
    void this.run(batch).finally(() => {
      this.busy = false;
      this.pump();
    });
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const results = await this.compute(batch.map((w) => w.image));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const w of batch) {
        try {
          w.resolve((await this.compute([w.image]))[0]);
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }
}

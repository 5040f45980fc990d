/**
 * The state shared by every program while one submit is being recorded: the device, the pool,
 * the single compute pass all kernels go into, and the buffers to hand back once the GPU is done.
 */
import type { BufferPool } from './buffer-pool.js';
import { getPipeline } from './pipelines.js';
import { BufferUsage } from './usage.js';

export const PLANE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const UNIFORM_USAGE = BufferUsage.UNIFORM | BufferUsage.COPY_DST;
const STORAGE_UPLOAD_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;

/** Workgroups of 256 invocations for a 1-D problem, folded into 2-D past the per-dimension limit. */
export function linearGrid(items: number, maxPerDimension: number, workgroupSize = 256): [number, number] {
  const groups = Math.max(1, Math.ceil(items / workgroupSize));
  if (groups <= maxPerDimension) return [groups, 1];
  const rows = Math.ceil(groups / maxPerDimension);
  if (rows > maxPerDimension) {
    throw new RangeError(`${items} items need ${groups} workgroups, above this device's maxComputeWorkgroupsPerDimension squared`);
  }
  return [Math.ceil(groups / rows), rows];
}

export class Recording {
  readonly encoder: GPUCommandEncoder;
  readonly pass: GPUComputePassEncoder;
  /** Buffers written by the queue before the submit runs: released only after the GPU is done. */
  private readonly pinned: GPUBuffer[] = [];
  private passEnded = false;

  constructor(
    readonly device: GPUDevice,
    readonly pool: BufferPool,
    label: string,
    timestampWrites?: GPUComputePassTimestampWrites,
  ) {
    this.encoder = device.createCommandEncoder({ label: `xray-gpu ${label}` });
    this.pass = this.encoder.beginComputePass({ label: `xray-gpu ${label} kernels`, timestampWrites });
  }

  get maxWorkgroupsPerDimension(): number {
    return this.device.limits.maxComputeWorkgroupsPerDimension;
  }

  /** A float32 plane written by a kernel; the caller may release it into the pool once its last reader is recorded. */
  plane(pixels: number, what: string): GPUBuffer {
    return this.pool.acquire(pixels * 4, PLANE_USAGE, what);
  }

  /** A small uniform block, filled now (by the queue, before the submit) and pinned until the GPU is done. */
  uniform(data: ArrayBuffer, what: string): GPUBuffer {
    const buffer = this.pool.acquire(data.byteLength, UNIFORM_USAGE, what);
    this.device.queue.writeBuffer(buffer, 0, data);
    this.pinned.push(buffer);
    return buffer;
  }

  /** A storage buffer filled with `data` by the queue, pinned until the GPU is done. */
  upload(data: ArrayBufferView, what: string, usage = STORAGE_UPLOAD_USAGE): GPUBuffer {
    const bytes = Math.ceil(data.byteLength / 4) * 4;
    const buffer = this.pool.acquire(bytes, usage, what);
    if (data.byteLength % 4 === 0) {
      this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    } else {
      // writeBuffer needs a multiple of 4 bytes: copy into a padded array.
      const padded = new Uint8Array(bytes);
      padded.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      this.device.queue.writeBuffer(buffer, 0, padded);
    }
    this.pinned.push(buffer);
    return buffer;
  }

  /** A zero-filled storage buffer (counters, maxima), pinned until the GPU is done. */
  zeros(bytes: number, what: string): GPUBuffer {
    return this.upload(new Uint8Array(Math.ceil(bytes / 4) * 4), what);
  }

  /** Keeps a buffer from the pool until the GPU is done with this recording. */
  pin(buffer: GPUBuffer): void {
    this.pinned.push(buffer);
  }

  /**
   * Records one dispatch of `shader`:`entryPoint`; `buffers[i]` is bound at binding i (holes for
   * bindings the entry point does not use).
   */
  dispatch(shader: string, entryPoint: string, buffers: readonly (GPUBuffer | undefined)[], grid: readonly [number, number], what: string): void {
    const max = this.maxWorkgroupsPerDimension;
    if (grid[0] > max || grid[1] > max) {
      throw new RangeError(`${what} needs ${grid[0]}x${grid[1]} workgroups, above this device's maxComputeWorkgroupsPerDimension of ${max}`);
    }
    const pipeline = getPipeline(this.device, shader, entryPoint);
    const bindGroup = this.device.createBindGroup({
      label: `xray-gpu ${what}`,
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.flatMap((buffer, binding) => (buffer ? [{ binding, resource: { buffer } }] : [])),
    });
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(grid[0], grid[1]);
  }

  /** Closes the compute pass; later commands (copies, query resolves) go straight on the encoder. */
  endPass(): void {
    if (!this.passEnded) this.pass.end();
    this.passEnded = true;
  }

  /** Hands the pinned buffers back to the pool (call once the submit has completed or failed). */
  releasePinned(): void {
    for (const buffer of this.pinned.splice(0)) this.pool.release(buffer);
  }
}

/**
 * Buffers recycled by (size, usage): a run acquires what it needs while recording and releases
 * everything once its submit has completed, so the next image of the same size allocates nothing.
 */

export interface BufferPoolStats {
  /** Bytes in buffers handed out and not yet released. */
  bytesInUse: number;
  /** Bytes in released buffers waiting for reuse. */
  bytesFree: number;
  /** Buffers created over the pool's life (a measure of how well reuse works). */
  created: number;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly inUse = new Set<GPUBuffer>();
  private bytesInUse = 0;
  private bytesFree = 0;
  private created = 0;

  constructor(private readonly device: GPUDevice, private readonly maxBufferSize: number) {}

  /**
   * A buffer of exactly `size` bytes (rounded up to 4) with `usage`. `what` names the buffer in
   * its label and in the error when the size exceeds the device's maxBufferSize.
   */
  acquire(size: number, usage: GPUBufferUsageFlags, what: string): GPUBuffer {
    const bytes = Math.max(4, Math.ceil(size / 4) * 4);
    if (bytes > this.maxBufferSize) {
      throw new RangeError(`${what} needs a ${bytes}-byte buffer, above this device's maxBufferSize of ${this.maxBufferSize} bytes`);
    }
    const key = `${bytes}:${usage}`;
    const reused = this.free.get(key)?.pop();
    if (reused) this.bytesFree -= bytes;
    const buffer = reused ?? this.create(bytes, usage, what);
    if (this.inUse.has(buffer)) throw new Error(`buffer pool handed out ${buffer.label} twice`);
    this.inUse.add(buffer);
    this.bytesInUse += bytes;
    return buffer;
  }

  /** Returns a buffer for reuse. The caller must not touch it afterwards. */
  release(buffer: GPUBuffer): void {
    if (!this.inUse.delete(buffer)) throw new Error(`buffer ${buffer.label} released but not acquired from this pool`);
    this.bytesInUse -= buffer.size;
    this.bytesFree += buffer.size;
    const key = `${buffer.size}:${buffer.usage}`;
    const list = this.free.get(key);
    if (list) list.push(buffer);
    else this.free.set(key, [buffer]);
  }

  stats(): BufferPoolStats {
    return { bytesInUse: this.bytesInUse, bytesFree: this.bytesFree, created: this.created };
  }

  /** Destroys the free buffers (keeps those in use), e.g. after a large image. */
  trim(): void {
    for (const list of this.free.values()) for (const buffer of list) buffer.destroy();
    this.free.clear();
    this.bytesFree = 0;
  }

  /** Destroys every buffer, in use or not. */
  destroy(): void {
    this.trim();
    for (const buffer of this.inUse) buffer.destroy();
    this.inUse.clear();
    this.bytesInUse = 0;
  }

  private create(size: number, usage: GPUBufferUsageFlags, what: string): GPUBuffer {
    this.created++;
    return this.device.createBuffer({ label: `xray-gpu ${what}`, size, usage });
  }
}

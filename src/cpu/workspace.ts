/**
 * Reusable float64 buffers for intermediate results, so that a chain of filters allocates only
 * the array it returns. Fresh 8 MiB arrays cost page faults and garbage collection on every call,
 * which for 1024x1024 images is a sizeable part of a 3-tap filter's time.
 */
export class Workspace {
  private readonly free = new Map<number, Float64Array[]>();

  /** A buffer of `length` values with arbitrary contents; give it back with `release`. */
  acquire(length: number): Float64Array {
    return this.free.get(length)?.pop() ?? new Float64Array(length);
  }

  /** Returns a buffer for reuse; the caller must not touch it afterwards. */
  release(buffer: Float64Array): void {
    let stack = this.free.get(buffer.length);
    if (stack === undefined) this.free.set(buffer.length, (stack = []));
    stack.push(buffer);
  }

  /** Drops every pooled buffer (e.g. when images change size for good, or on dispose). */
  clear(): void {
    this.free.clear();
  }
}

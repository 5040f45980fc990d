/**
 * A counting semaphore: the bound on images in flight. The walk waits for a free slot before it
 * reads the next file name, so however large the tree, at most `capacity` images are decoded,
 * computed or encoded at once, and memory stays flat.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`slot capacity must be an integer >= 1, got ${capacity}`);
    this.free = capacity;
  }

  /** Resolves once a slot is taken. */
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else if (this.free < this.capacity) this.free++;
    else throw new Error(`released more slots than were acquired (capacity ${this.capacity})`);
  }

  /** Slots currently taken. */
  get inUse(): number {
    return this.capacity - this.free;
  }
}

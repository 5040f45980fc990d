// Types for the part of gifenc (a CommonJS package without its own types) that src/io/gif.ts uses.
declare module 'gifenc' {
  export interface GifFrameOptions {
    /** Colour table as [r, g, b] triples; given on the first frame it becomes the global table. */
    palette?: number[][];
    /** Frame delay in milliseconds; stored in hundredths of a second (rounded). */
    delay?: number;
    /** -1 plays once (no NETSCAPE2.0 block), 0 loops forever, n > 0 repeats n more times. */
    repeat?: number;
    transparent?: boolean;
    transparentIndex?: number;
    colorDepth?: number;
    dispose?: number;
    first?: boolean;
  }
  export interface GifEncoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: GifFrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
  }
  export function GIFEncoder(options?: { initialCapacity?: number; auto?: boolean }): GifEncoder;
}

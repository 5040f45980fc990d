// Types for the part of @cornerstonejs/codec-libjpeg-turbo-8bit (Emscripten, no types of its own) that
// src/codecs/jpeg.ts uses: the single-file decoder build, WebAssembly embedded in the script.
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decode' {
  export interface JpegFrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  /** An Embind object: free it with `delete()`. Failures throw a bare number (a C++ exception pointer). */
  export interface JPEGDecoder {
    /** Wasm memory for the compressed file, to be filled before `decode()`. */
    getEncodedBuffer(length: number): Uint8Array;
    /** A view of wasm memory: gray, or RGB interleaved; valid until the next call. */
    getDecodedBuffer(): Uint8ClampedArray;
    decode(): void;
    getFrameInfo(): JpegFrameInfo;
    delete(): void;
  }
  export interface LibjpegTurbo {
    JPEGDecoder: new () => JPEGDecoder;
  }
  const factory: (module?: object) => Promise<LibjpegTurbo>;
  export default factory;
}

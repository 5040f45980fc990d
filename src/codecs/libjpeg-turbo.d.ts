// Types for the part of @cornerstonejs/codec-libjpeg-turbo-8bit (Emscripten, no types of its own) that
// src/codecs/jpeg.ts uses: the decoder's WebAssembly build, whose .wasm bytes are passed in.
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
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
    /**
     * A view of wasm memory: gray, or RGB interleaved; valid until the next call. A Uint8ClampedArray at
     * run time (so copy it into a Uint8Array); declared Uint8Array as src/codecs/dicom's declaration of
     * the same module has it, since TypeScript merges the two.
     */
    getDecodedBuffer(): Uint8Array;
    decode(): void;
    getFrameInfo(): JpegFrameInfo;
    delete(): void;
  }
  export interface LibjpegTurbo {
    JPEGDecoder: new () => JPEGDecoder;
  }
  /**
   * Emscripten's module factory; `wasmBinary` saves it from fetching or reading the .wasm file, `print`
   * and `printErr` take what the C code would write to stdout/stderr.
   */
  const factory: (module?: { wasmBinary?: Uint8Array; print?: (text: string) => void; printErr?: (text: string) => void }) => Promise<LibjpegTurbo>;
  export default factory;
}

// Types for the parts of the decoder packages xray-gpu uses; none of them ships declarations.

interface EmscriptenFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

/** The embind decoder class shape the three @cornerstonejs codecs share. */
interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): EmscriptenFrameInfo;
  delete(): void;
}

interface JpegLsDecoder extends EmscriptenDecoder {
  /** CharLS interleave: 0 none (planes), 1 line, 2 sample. */
  getInterleaveMode(): number;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (options?: object) => Promise<{ JPEGDecoder: new () => EmscriptenDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (options?: object) => Promise<{ JpegLSDecoder: new () => JpegLsDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (options?: object) => Promise<{ J2KDecoder: new () => EmscriptenDecoder }>;
  export default factory;
}

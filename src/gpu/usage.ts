/**
 * WebGPU's GPUBufferUsage and GPUMapMode flags as constants. The spec fixes their values; Dawn in
 * Node only installs the `GPUBufferUsage` global when `nodeGpu()` runs, which is after this
 * module's imports are evaluated, so the engine cannot read the globals at load time.
 */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;

export const MapModeRead = 0x0001;

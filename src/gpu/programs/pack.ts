/**
 * Program `pack` (shaders/pack.wgsl): a float32 plane read back as bytes over its finite range,
 * either min-max scaled to 8 bits (four pixels per word: a quarter of the float32 readback) or
 * coloured through a colormap (RGBA8, one word per pixel). The range is reduced once per plane and
 * shared by every packing of it.
 */
import { colormapLut } from '../../render/colormap.js';
import { linearGrid, type Recording } from '../recording.js';
import { BufferUsage } from '../usage.js';

const PIXELS_PER_INVOCATION = 16;

/** A plane with its finite range being reduced on the GPU, ready to be packed. */
export interface PlaneRange {
  plane: GPUBuffer;
  /** Pixels in the plane. */
  count: number;
  /** Order keys of the finite minimum and maximum (see `order_key` in the shader). */
  keys: GPUBuffer;
  /** The shader's params block (the pixel count), shared by the reduction and the packings. */
  params: GPUBuffer;
}

/** Records the reduction of the finite min and max of `plane`; pack it with the functions below. */
export function recordRange(rec: Recording, plane: GPUBuffer, count: number, what: string): PlaneRange {
  const params = rec.uniform(new Uint32Array([count, 0, 0, 0]).buffer, `${what} pack params`);
  const keys = rec.upload(new Uint32Array([0xffffffff, 0]), `${what} range`);
  rec.dispatch('pack', 'minmax_keys', [params, plane, keys],
    linearGrid(Math.ceil(count / PIXELS_PER_INVOCATION), rec.maxWorkgroupsPerDimension), `${what} range`);
  return { plane, count, keys, params };
}

/** Records the 8-bit scaling of a plane; returns the packed buffer (ceil(count / 4) words, pinned). */
export function recordPackUint8(rec: Recording, range: PlaneRange, what: string): GPUBuffer {
  const words = Math.ceil(range.count / 4);
  const packed = rec.plane(words, `${what} 8-bit`);
  rec.pin(packed);
  rec.dispatch('pack', 'pack_u8', [range.params, range.plane, range.keys, packed],
    linearGrid(words, rec.maxWorkgroupsPerDimension), `${what} 8-bit`);
  return packed;
}

/**
 * Records the colouring of a plane with colormap `name` (a name `colormapLut` knows); returns the
 * RGBA8 buffer (one word per pixel, pinned).
 */
export function recordColormap(rec: Recording, range: PlaneRange, name: string, what: string): GPUBuffer {
  const lut = lutBuffer(rec.device, name);
  const rgba = rec.plane(range.count, `${what} ${name} RGBA8`);
  rec.pin(rgba);
  rec.dispatch('pack', 'colormap_rgba8', [range.params, range.plane, range.keys, rgba, lut],
    linearGrid(range.count, rec.maxWorkgroupsPerDimension), `${what} ${name}`);
  return rgba;
}

/** Colormap tables on the GPU, uploaded once per device and kept while it lives (like pipelines). */
const lutCache = new WeakMap<GPUDevice, Map<string, GPUBuffer>>();

function lutBuffer(device: GPUDevice, name: string): GPUBuffer {
  let luts = lutCache.get(device);
  if (!luts) {
    luts = new Map();
    lutCache.set(device, luts);
  }
  let buffer = luts.get(name);
  if (!buffer) {
    const table = colormapLut(name); // throws for an unknown name, listing the known ones
    buffer = device.createBuffer({ label: `xray-gpu colormap ${name}`, size: table.byteLength, usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, table.buffer, table.byteOffset, table.byteLength);
    luts.set(name, buffer);
  }
  return buffer;
}

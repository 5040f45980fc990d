/**
 * NumPy's .npy format (numpy/lib/format.py, "NEP 1"): bytes in, bytes out, no file system, so the
 * codec also runs in a browser. Reads versions 1.0 and 2.0, writes 1.0. Supported: little-endian
 * uint8, uint16, int16, int32, uint32, float32 and float64 in C order, any number of dimensions when reading.
 *
 * Layout: magic "\x93NUMPY", major, minor, header length (uint16 LE in 1.0, uint32 LE in 2.0),
 * then an ASCII Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (H, W), }
 * padded with spaces and a final newline so the data starts on a 64-byte boundary.
 */
import { type DType, type Image2D, type PixelArray, dtypeOf, imageFrom } from '../image.js';

export interface NpyArray {
  /** C-order shape, e.g. [height, width]. */
  shape: number[];
  dtype: DType;
  data: PixelArray;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGNMENT = 64;

/** The descr strings NumPy writes for each dtype ('|u1': byte order is irrelevant for one byte). */
const DESCR_OF: Record<DType, string> = { uint8: '|u1', uint16: '<u2', int16: '<i2', int32: '<i4', uint32: '<u4', float32: '<f4', float64: '<f8' };
const DTYPE_OF_DESCR: Record<string, DType> = {
  '|u1': 'uint8',
  '<u1': 'uint8',
  u1: 'uint8',
  '<u2': 'uint16',
  '<i2': 'int16',
  '<i4': 'int32',
  '<u4': 'uint32',
  '<f4': 'float32',
  '<f8': 'float64',
};
const BYTES_PER_ELEMENT: Record<DType, number> = { uint8: 1, uint16: 2, int16: 2, int32: 4, uint32: 4, float32: 4, float64: 8 };

/** Encodes a C-order array as .npy version 1.0; `shape`'s product must equal `data.length`. */
export function encodeNpy(shape: readonly number[], data: PixelArray): Uint8Array {
  for (const extent of shape) {
    if (!Number.isInteger(extent) || extent < 0) throw new RangeError(`npy shape must be non-negative integers, got [${shape.join(', ')}]`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(`npy shape [${shape.join(', ')}] holds ${count} values but data has ${data.length}`);
  }
  const dtype = dtypeOf(data);
  // Python writes a 1-tuple as "(n,)".
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const prefixLength = MAGIC.length + 2 + 2;
  const unpadded = prefixLength + dict.length + 1; // + the newline
  const headerLength = dict.length + 1 + ((ALIGNMENT - (unpadded % ALIGNMENT)) % ALIGNMENT);
  if (headerLength > 0xffff) throw new RangeError(`npy header of ${headerLength} bytes does not fit version 1.0`);
  const header = dict.padEnd(headerLength - 1, ' ') + '\n';

  const dataBytes = data.length * BYTES_PER_ELEMENT[dtype];
  const out = new Uint8Array(prefixLength + headerLength + dataBytes);
  out.set(MAGIC, 0);
  out[6] = 1; // major
  out[7] = 0; // minor
  out[8] = headerLength & 0xff;
  out[9] = headerLength >> 8;
  for (let i = 0; i < header.length; i++) out[prefixLength + i] = header.charCodeAt(i);
  writeLittleEndian(data, dtype, out, prefixLength + headerLength);
  return out;
}

/**
 * Decodes .npy bytes. `name` (a file name) prefixes every error so the caller can tell which
 * input was bad: bad magic, unsupported version or dtype, Fortran order, a malformed header, or
 * fewer data bytes than the shape needs.
 */
export function decodeNpy(bytes: Uint8Array, name = '<npy bytes>'): NpyArray {
  const fail = (problem: string): never => {
    throw new RangeError(`${name}: ${problem}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    fail(`not a .npy file: the first bytes are not the magic "\\x93NUMPY"`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = bytes[8] | (bytes[9] << 8);
    headerStart = 10;
  } else if (major === 2) {
    if (bytes.length < 12) fail('truncated: the version 2.0 header length is missing');
    headerLength = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
    headerStart = 12;
  } else {
    return fail(`unsupported .npy version ${major}.${minor} (supported: 1.0, 2.0)`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) fail(`truncated: header says ${headerLength} bytes but only ${bytes.length - headerStart} follow`);
  let header = '';
  for (let i = headerStart; i < dataStart; i++) header += String.fromCharCode(bytes[i]);

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    return fail(`malformed header (need 'descr', 'fortran_order' and 'shape'): ${header.trim()}`);
  }
  const dtype = DTYPE_OF_DESCR[descr];
  if (dtype === undefined) {
    return fail(`unsupported dtype '${descr}' (supported: ${Object.values(DESCR_OF).join(', ')}, little-endian)`);
  }
  if (fortran === 'True') fail('fortran_order True is not supported (save a C-order array, e.g. numpy.ascontiguousarray)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const extent = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(extent) || extent < 0) fail(`malformed shape (${shapeText})`);
      return extent;
    });
  const count = shape.reduce((a, b) => a * b, 1);
  const needed = count * BYTES_PER_ELEMENT[dtype];
  const available = bytes.length - dataStart;
  if (available < needed) {
    fail(`truncated data: shape (${shape.join(', ')}) of ${descr} needs ${needed} bytes but ${available} remain`);
  }
  return { shape, dtype, data: readLittleEndian(bytes, dataStart, count, dtype) };
}

function writeLittleEndian(data: PixelArray, dtype: DType, out: Uint8Array, offset: number): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, data.length * BYTES_PER_ELEMENT[dtype]);
  switch (dtype) {
    case 'uint8':
      out.set(data, offset);
      return;
    case 'uint16':
      for (let i = 0; i < data.length; i++) view.setUint16(2 * i, data[i], true);
      return;
    case 'int16':
      for (let i = 0; i < data.length; i++) view.setInt16(2 * i, data[i], true);
      return;
    case 'int32':
      for (let i = 0; i < data.length; i++) view.setInt32(4 * i, data[i], true);
      return;
    case 'uint32':
      for (let i = 0; i < data.length; i++) view.setUint32(4 * i, data[i], true);
      return;
    case 'float32':
      for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
      return;
    case 'float64':
      for (let i = 0; i < data.length; i++) view.setFloat64(8 * i, data[i], true);
      return;
  }
}

function readLittleEndian(bytes: Uint8Array, offset: number, count: number, dtype: DType): PixelArray {
  // DataView: correct on any host byte order and with any alignment of `offset`.
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * BYTES_PER_ELEMENT[dtype]);
  switch (dtype) {
    case 'uint8':
      return bytes.slice(offset, offset + count);
    case 'uint16': {
      const data = new Uint16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getUint16(2 * i, true);
      return data;
    }
    case 'int16': {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(2 * i, true);
      return data;
    }
    case 'int32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(4 * i, true);
      return data;
    }
    case 'uint32': {
      const data = new Uint32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getUint32(4 * i, true);
      return data;
    }
    case 'float32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
      return data;
    }
    case 'float64': {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(8 * i, true);
      return data;
    }
  }
}

/** A decoded 2-D array as an image ([height, width]); other ranks are an error naming `name`. */
export function npyToImage(array: NpyArray, name = '<npy bytes>'): Image2D {
  if (array.shape.length !== 2) {
    throw new RangeError(`${name}: expected a 2-D array [height, width], got shape (${array.shape.join(', ')})`);
  }
  const [height, width] = array.shape;
  return imageFrom(width, height, array.data);
}

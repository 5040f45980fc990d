/**
 * The batch's worker thread (run by piscina from dist/src/pipeline/batch/worker.js): PNG decode,
 * CPU compute and PNG/npy encode + atomic write, so that every core works on images while the main
 * thread only walks, schedules and records. Expected failures (an unreadable or corrupt input, a
 * failed write) come back as `{ ok: false, reason }`; anything else is a bug and is thrown.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createCpuEngine } from '../../cpu/engine.js';
import { statsRecord } from '../../stats/record.js';
import { computePngLevels } from '../../cpu/fast/png-levels.js';
import { Workspace } from '../../cpu/workspace.js';
import { type Image2D, dtypeOf } from '../../image.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { ImageFileError } from '../../io/errors.js';
import { readImageFile, scaleToUint8 } from '../../io/image-file.js';
import { encodeNpy } from '../../io/npy.js';
import { encodePng } from '../../io/png.js';
import { readLimitOptions } from '../read-limits.js';
import { describeFsError } from '../../io/fs-errors.js';
import type { OutputRecord } from './manifest.js';
import { thumbnail } from './thumbnail.js';
import type {
  DecodeResult,
  DecodeTask,
  EncodeResult,
  EncodeSettings,
  EncodeTask,
  ProcessResult,
  ProcessTask,
  SeriesFrame,
  SeriesFrameRequest,
  TaskFailure,
  WorkerTask,
} from './worker-protocol.js';

const engine = createCpuEngine();
/** Intermediate buffers of the fast 8-bit path, kept across this worker's images. */
const workspace = new Workspace();
/** Directories this worker already created, to spare a mkdir per output. */
const createdDirectories = new Set<string>();

/** piscina's entry point: one task in, one result out. */
export default async function runTask(task: WorkerTask): Promise<ProcessResult | DecodeResult | EncodeResult | TaskFailure> {
  switch (task.kind) {
    case 'process':
      return processImage(task);
    case 'decode':
      return decodeImage(task);
    case 'encode':
      return encodeResults(task);
  }
}

async function processImage(task: ProcessTask): Promise<ProcessResult | TaskFailure> {
  const decoded = await decodeImage(task);
  if (!decoded.ok) return decoded;
  const image: Image2D<Uint8Array | Uint16Array> = { width: decoded.width, height: decoded.height, data: decoded.pixels };
  const computeStart = performance.now();
  const requests = task.outputs.map((o) => o.request);
  // PNG outputs are 8-bit levels: the fast path computes them directly (at most one level off the
  // reference, on half-level ties); npy outputs hold raw values, so they come from the reference engine.
  const results =
    task.format === 'png' ? computePngLevels(image, requests, workspace) : (await engine.run(image, requests)).map((r) => r.data);
  const computeMs = performance.now() - computeStart;
  const encoded = await encodeResults({ ...task, kind: 'encode', width: image.width, height: image.height, results });
  if (!encoded.ok) return encoded;
  return {
    ok: true,
    width: image.width,
    height: image.height,
    outputs: encoded.outputs,
    decodeMs: decoded.decodeMs,
    computeMs,
    encodeMs: encoded.encodeMs,
    series: decoded.series,
  };
}

async function decodeImage(task: ProcessTask | DecodeTask): Promise<DecodeResult | TaskFailure> {
  const start = performance.now();
  let image: Image2D;
  try {
    image = await readImageFile(task.input, { maxPixels: task.maxPixels, dicomValues: task.dicomValues, frame: task.frame, ...readLimitOptions(task.limits) });
  } catch (error) {
    if (error instanceof ImageFileError) return { ok: false, reason: error.problem };
    throw error;
  }
  if (!(image.data instanceof Uint8Array || image.data instanceof Uint16Array)) {
    // The 8-bit PNG path takes integer levels: DICOM's signed stored or float modality values, or a
    // .npy file under an image's name, do not fit it.
    return {
      ok: false,
      reason: `batch takes images of unsigned integer levels (uint8, uint16), got ${dtypeOf(image.data)} pixels (DICOM: use --dicom-values display, or stored for unsigned data)`,
    };
  }
  const pixels = image as Image2D<Uint8Array | Uint16Array>;
  const series = task.series ? await seriesFrame(pixels, task.series) : undefined;
  return { ok: true, width: image.width, height: image.height, pixels: pixels.data, decodeMs: performance.now() - start, series };
}

async function seriesFrame(image: Image2D<Uint8Array | Uint16Array>, request: SeriesFrameRequest): Promise<SeriesFrame> {
  const frame = thumbnail(image, request.maxSide);
  return { width: frame.width, height: frame.height, pixels: frame.data, stats: statsRecord({ image, stats: await engine.stats(image) }) };
}

async function encodeResults(task: EncodeTask): Promise<EncodeResult | TaskFailure> {
  const start = performance.now();
  const outputs: OutputRecord[] = [];
  for (let i = 0; i < task.outputs.length; i++) {
    const target = task.outputs[i];
    const bytes = encodeOutput({ width: task.width, height: task.height, data: task.results[i] }, task);
    try {
      await ensureDirectory(path.dirname(target.file));
      await writeFileAtomic(target.file, bytes);
    } catch (error) {
      return { ok: false, reason: `cannot write ${target.relativePath}: ${describeWriteError(error)}` };
    }
    outputs.push({ path: target.relativePath, bytes: bytes.length });
  }
  return { ok: true, outputs, encodeMs: performance.now() - start };
}

/** png: 8-bit min-max scaled, exactly as `filter --out x.png`; npy: float32, the raw values. */
function encodeOutput(image: Image2D<Float32Array | Float64Array | Uint8Array>, settings: EncodeSettings): Uint8Array {
  if (settings.format === 'png') {
    const pixels = image.data instanceof Uint8Array ? (image as Image2D<Uint8Array>) : scaleToUint8(image);
    return encodePng(pixels, { level: settings.pngLevel });
  }
  if (image.data instanceof Uint8Array) throw new TypeError('npy output needs the float result, got 8-bit pixels');
  const data = image.data instanceof Float32Array ? image.data : Float32Array.from(image.data);
  return encodeNpy([image.height, image.width], data);
}

async function ensureDirectory(directory: string): Promise<void> {
  if (createdDirectories.has(directory)) return;
  await mkdir(directory, { recursive: true });
  createdDirectories.add(directory);
}

function describeWriteError(error: unknown): string {
  return describeFsError(error, 'write');
}

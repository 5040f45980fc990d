/**
 * The ops GpuEngine runs apart from its plan, each in one submit of its own: `resize`, whose result
 * has another size than the plan's planes, and `clahe`, which works on 8-bit levels rather than a
 * float32 plane. Both compute entirely in WGSL; the host only builds tables (resize weights, CLAHE's
 * level-to-bin table from the image's min and max) and reads the result back.
 */
import { binTable, claheGeometry } from '../filters/clahe.js';
import type { ResolvedOp } from '../filters/ops.js';
import { valueRange } from '../filters/range.js';
import { resizeTables } from '../filters/resize.js';
import { type Image2D, dtypeOf } from '../image.js';
import type { BufferPool } from './buffer-pool.js';
import { recordClahe } from './programs/clahe.js';
import { recordResize } from './programs/resize.js';
import { uploadPacked, uploadPlane } from './programs/upload.js';
import { Recording } from './recording.js';
import { BufferUsage, MapModeRead } from './usage.js';

export interface SizedOpContext {
  device: GPUDevice;
  pool: BufferPool;
}

/** Whether GpuEngine runs `op` here rather than in its plan. */
export function runsApart(op: ResolvedOp): boolean {
  return op.op === 'resize' || op.op === 'clahe';
}

/** Runs a `resize` or `clahe` op on one image; float32 result of the op's size. */
export async function runSizedOp(context: SizedOpContext, image: Image2D, op: ResolvedOp): Promise<Image2D<Float32Array>> {
  const what = `${op.op} ${image.width}x${image.height}`;
  const rec = new Recording(context.device, context.pool, what);
  try {
    let output: GPUBuffer;
    let width: number;
    let height: number;
    if (op.resize) {
      ({ width, height } = op.resize);
      const [rows, columns] = resizeTables(op.resize.method, image.height, image.width, height, width);
      // skimage clips to the input's range; OpenCV does not.
      const clip = op.resize.method === 'skimage' ? valueRange(image.data) : null;
      output = recordResize(rec, uploadPlane(rec, image, what), image.width, rows, columns, clip, what);
    } else if (op.clahe) {
      if (!(image.data instanceof Uint8Array)) {
        throw new RangeError(`op clahe takes an 8-bit image; this one is ${dtypeOf(image.data)} (cast it to uint8 levels first)`);
      }
      ({ width, height } = image);
      const geometry = claheGeometry(width, height, op.clahe);
      const { lo, hi } = valueRange(image.data);
      output = recordClahe(rec, uploadPacked(rec, image as Image2D<Uint8Array>, what), geometry, binTable(lo, hi, geometry.nbins), what);
    } else {
      throw new Error(`runSizedOp runs resize and clahe, not ${op.op}`);
    }
    rec.endPass();
    const bytes = width * height * 4;
    const readback = context.pool.acquire(bytes, BufferUsage.MAP_READ | BufferUsage.COPY_DST, `${what} readback`);
    rec.pin(readback);
    rec.encoder.copyBufferToBuffer(output, 0, readback, 0, bytes);
    context.device.queue.submit([rec.encoder.finish({ label: `xray-gpu ${what} commands` })]);
    await readback.mapAsync(MapModeRead);
    const data = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return { width, height, data };
  } finally {
    rec.endPass();
    rec.releasePinned();
  }
}

/** min and max of the pixels (a host scan: the image is on the host already). */

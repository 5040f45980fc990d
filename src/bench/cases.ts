/**
 * The operations the benchmark times. Each is one `Engine` call (a list of requests in one
 * `Engine.run`, or `Engine.histogram`) and the same work described to the peers (SciPy, OpenCV),
 * which receive these requests as JSON and run their equivalents (bench/peers/*.py).
 */
import type { HistogramOptions } from '../engine.js';
import type { OpRequest } from '../filters/ops.js';
import { tutorialStages } from '../pipeline/tutorial.js';

/** What a peer is asked to run: an op request, or the histogram. */
export type PeerOp = OpRequest | ({ op: 'histogram' } & HistogramOptions);

export type BenchWork = { kind: 'run'; requests: OpRequest[] } | { kind: 'histogram'; options: HistogramOptions };

export interface BenchOp {
  /** The name used on the command line (--ops) and in results. */
  id: string;
  /** What it computes, in SciPy's words. */
  title: string;
  work: BenchWork;
}

/** The tutorial's histogram, over a fixed 0..255 range so that every engine bins the same way. */
const HISTOGRAM: HistogramOptions = { min: 0, max: 255, bins: 256 };

const run = (...requests: OpRequest[]): BenchWork => ({ kind: 'run', requests });

export const BENCH_OPS: readonly BenchOp[] = [
  { id: 'gaussian', title: 'gaussian_filter(x, sigma=2)', work: run({ op: 'gaussian', sigma: 2 }) },
  { id: 'gaussian-laplace', title: 'gaussian_laplace(x, sigma=1)', work: run({ op: 'gaussian-laplace', sigma: 1 }) },
  {
    id: 'gaussian-gradient-magnitude',
    title: 'gaussian_gradient_magnitude(x, sigma=2)',
    work: run({ op: 'gaussian-gradient-magnitude', sigma: 2 }),
  },
  { id: 'sobel-magnitude', title: 'hypot(sobel x, sobel y) * 255 / max', work: run({ op: 'sobel-magnitude' }) },
  { id: 'fourier-gaussian', title: 'fourier_gaussian(x, sigma=0.05)', work: run({ op: 'fourier-gaussian', sigma: 0.05 }) },
  {
    id: 'tutorial-canny',
    title: 'Prewitt magnitude of fourier_gaussian(x, 0.05)',
    work: run({ op: 'tutorial-canny', sigma: 0.05 }),
  },
  { id: 'mask', title: 'where(x > 150, x, 0)', work: run({ op: 'mask', threshold: 150 }) },
  {
    id: 'canny',
    title: 'skimage.feature.canny(x, sigma=2) (OpenCV peer: GaussianBlur + cv2.Canny)',
    work: run({ op: 'canny', sigma: 2 }),
  },
  { id: 'histogram', title: 'histogram(x, 0, 255, 256)', work: { kind: 'histogram', options: HISTOGRAM } },
  {
    id: 'pipeline',
    title: 'the whole tutorial: all six filter stages in one Engine.run',
    work: run(...tutorialStages().map((stage) => stage.request)),
  },
];

export const BENCH_OP_IDS = BENCH_OPS.map((op) => op.id);

/** The ops of `--quick`: the cheapest that still show each kind of kernel, and the whole pipeline. */
export const QUICK_OP_IDS: readonly string[] = ['gaussian', 'sobel-magnitude', 'tutorial-canny', 'mask', 'pipeline'];

/** The ops named by `ids`, in catalogue order; an unknown id is an error listing the known ones. */
export function benchOpsByIds(ids: readonly string[]): BenchOp[] {
  for (const id of ids) {
    if (!BENCH_OP_IDS.includes(id)) throw new RangeError(`unknown benchmark op "${id}"; the ops are ${BENCH_OP_IDS.join(', ')}`);
  }
  return BENCH_OPS.filter((op) => ids.includes(op.id));
}

/** The work as the peers receive it: the op list they run in order, timed as one. */
export function peerOps(work: BenchWork): PeerOp[] {
  return work.kind === 'run' ? work.requests : [{ op: 'histogram', ...work.options }];
}

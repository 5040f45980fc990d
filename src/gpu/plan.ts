/**
 * Turns validated requests into a graph of GPU steps, shared between requests: each step is
 * memoised by a key describing exactly what it computes, so e.g. `sobel` axis 0 and
 * `sobel-magnitude` compute the axis-0 Sobel once, and the magnitude's hypot + max is fused into
 * the last correlation pass of the axis-1 Sobel. The plan depends on the requests only, not on the
 * image, so one plan serves every image of a batch.
 *
 * Compositions follow scipy.ndimage 1.10 (ndimage/_filters.py): gaussian_filter correlates along
 * axis 0 then axis 1, skipping axes with sigma <= 1e-15; sobel/prewitt take the derivative along
 * `axis` then smooth along the other axis; generic_laplace sums the per-axis second derivatives and
 * generic_gradient_magnitude takes the root of the summed squares of the per-axis derivatives.
 */
import type { BoundaryMode } from '../filters/boundary.js';
import { type Axis, DERIVATIVE_WEIGHTS, type EdgeOperator, LAPLACE_WEIGHTS, smoothingWeights } from '../filters/edges.js';
import { type GaussianOrder, SIGMA_EPSILON, gaussianKernel1d, gaussianRadius } from '../filters/gaussian.js';
import type { ResolvedOp } from '../filters/ops.js';
import type { Epilogue } from './programs/correlate.js';

export type Step = InputStep | CorrelateStep | ThresholdStep | NormaliseStep | FourierStep;

interface StepBase {
  /** Position in `Plan.steps` (a topological order: sources come first). */
  id: number;
  key: string;
}
export interface InputStep extends StepBase {
  kind: 'input';
}
export interface CorrelateStep extends StepBase {
  kind: 'correlate';
  src: Step;
  axis: Axis;
  radius: number;
  /** Index of the first weight in `Plan.weights`. */
  weightOffset: number;
  mode: BoundaryMode;
  cval: number;
  epilogue: Epilogue;
  acc?: Step;
  /** Also reduce the output's maximum (read by a NormaliseStep). */
  reduceMax: boolean;
}
export interface ThresholdStep extends StepBase {
  kind: 'threshold';
  src: Step;
  threshold: number;
  binary: boolean;
}
export interface NormaliseStep extends StepBase {
  kind: 'normalise';
  src: CorrelateStep;
}
export interface FourierStep extends StepBase {
  kind: 'fourier';
  src: Step;
  sigma: [number, number];
}

export interface Plan {
  steps: Step[];
  /** One step per request, in request order (may repeat, and may be the input itself). */
  outputs: Step[];
  /** Every correlation weight of the plan, concatenated, as float32. */
  weights: Float32Array;
  /** Steps whose output another step reads (consumer counts, for freeing planes early). */
  readers: Map<Step, number>;
}

/** Stands for the image itself among a plan's outputs (its float32 plane as uploaded). */
export const INPUT_IMAGE = 'input';

/** The graph of steps computing `ops` on one image; `INPUT_IMAGE` outputs the image itself. */
export function buildPlan(ops: readonly (ResolvedOp | typeof INPUT_IMAGE)[]): Plan {
  const builder = new PlanBuilder();
  const outputs = ops.map((op) => (op === INPUT_IMAGE ? builder.input : builder.op(op)));
  return builder.finish(outputs);
}

/** Sources of a step (the planes it reads). */
export function sourcesOf(step: Step): Step[] {
  switch (step.kind) {
    case 'input':
      return [];
    case 'correlate':
      return step.acc ? [step.src, step.acc] : [step.src];
    default:
      return [step.src];
  }
}

interface Final {
  epilogue: Epilogue;
  acc?: Step;
  reduceMax: boolean;
}
const STORE: Final = { epilogue: 'store', reduceMax: false };

class PlanBuilder {
  private readonly steps: Step[] = [];
  private readonly byKey = new Map<string, Step>();
  private readonly weights: number[] = [];
  private readonly weightOffsets = new Map<string, number>();
  readonly input: InputStep = this.add<InputStep>({ kind: 'input' }, 'input');

  op(op: ResolvedOp): Step {
    const { mode, cval } = op;
    const x = this.input;
    switch (op.op) {
      case 'canny':
        // Hysteresis reads flags back between submits: GpuEngine runs canny outside the plan (./canny.ts).
        throw new Error('canny is not part of a plan; GpuEngine runs it with cannyGpu');
      case 'resize':
      case 'clahe':
        // Results of another size (resize) or from 8-bit levels (clahe): GpuEngine runs them apart (./resize.ts, ./clahe.ts).
        throw new Error(`${op.op} is not part of a plan; GpuEngine runs it with ${op.op}Gpu`);
      case 'gaussian':
        return this.gaussian(x, op, op.order, STORE);
      case 'gaussian-laplace': {
        const d0 = this.gaussian(x, op, [2, 0], STORE);
        return this.gaussian(x, op, [0, 2], { epilogue: 'add', acc: d0, reduceMax: false });
      }
      case 'gaussian-gradient-magnitude': {
        const d0 = this.gaussian(x, op, [1, 0], STORE);
        return this.gaussian(x, op, [0, 1], { epilogue: 'hypot', acc: d0, reduceMax: false });
      }
      case 'sobel':
      case 'prewitt':
        return this.edge(x, op.op, op.axis, mode, cval, STORE);
      case 'laplace': {
        const d0 = this.correlate(x, 0, 'laplace', LAPLACE_WEIGHTS, mode, cval, STORE);
        return this.correlate(x, 1, 'laplace', LAPLACE_WEIGHTS, mode, cval, { epilogue: 'add', acc: d0, reduceMax: false });
      }
      case 'sobel-magnitude':
        return this.magnitude(x, 'sobel', mode, cval);
      case 'prewitt-magnitude':
        return this.magnitude(x, 'prewitt', mode, cval);
      case 'fourier-gaussian':
        return this.fourier(x, op.sigma);
      case 'tutorial-canny':
        return this.magnitude(this.fourier(x, op.sigma), 'prewitt', mode, cval);
      case 'mask':
      case 'mask-binary': {
        const binary = op.op === 'mask-binary';
        return this.add<ThresholdStep>({ kind: 'threshold', src: x, threshold: op.threshold, binary }, `threshold(${x.id},${op.threshold},${binary})`);
      }
    }
  }

  finish(outputs: Step[]): Plan {
    const readers = new Map<Step, number>();
    for (const step of this.steps) {
      for (const source of sourcesOf(step)) readers.set(source, (readers.get(source) ?? 0) + 1);
    }
    return { steps: this.steps, outputs, weights: Float32Array.from(this.weights), readers };
  }

  /** gaussian_filter: axis 0 then axis 1, each with its own sigma, order and radius; `final` fused into the last pass. */
  private gaussian(src: Step, op: ResolvedOp, order: readonly [GaussianOrder, GaussianOrder], final: Final): Step {
    const axes = ([0, 1] as const).filter((axis) => op.sigma[axis] > SIGMA_EPSILON);
    if (axes.length === 0) return this.identity(src, final);
    let step = src;
    axes.forEach((axis, i) => {
      const sigma = op.sigma[axis];
      const radius = gaussianRadius(sigma, { truncate: op.truncate, radius: op.radius });
      const weights = gaussianKernel1d(sigma, order[axis], radius);
      const name = `gauss(${sigma},${order[axis]},${radius})`;
      step = this.correlate(step, axis, name, weights, op.mode, op.cval, i === axes.length - 1 ? final : STORE);
    });
    return step;
  }

  /** `op(x, axis)` for sobel/prewitt: the derivative along `axis`, then smoothing along the other axis. */
  private edge(src: Step, operator: EdgeOperator, axis: Axis, mode: BoundaryMode, cval: number, final: Final): Step {
    const other: Axis = axis === 0 ? 1 : 0;
    const derivative = this.correlate(src, axis, 'derivative', DERIVATIVE_WEIGHTS, mode, cval, STORE);
    return this.correlate(derivative, other, operator, smoothingWeights(operator), mode, cval, final);
  }

  /** hypot(op(x, 0), op(x, 1)) * 255 / max: the hypot and the max reduction ride on the last pass. */
  private magnitude(src: Step, operator: EdgeOperator, mode: BoundaryMode, cval: number): Step {
    const along0 = this.edge(src, operator, 0, mode, cval, STORE);
    const hypot = this.edge(src, operator, 1, mode, cval, { epilogue: 'hypot', acc: along0, reduceMax: true }) as CorrelateStep;
    return this.add<NormaliseStep>({ kind: 'normalise', src: hypot }, `normalise(${hypot.id})`);
  }

  private fourier(src: Step, sigma: [number, number]): Step {
    return this.add<FourierStep>({ kind: 'fourier', src, sigma: [...sigma] }, `fourier(${src.id},${sigma[0]},${sigma[1]})`);
  }

  /** A pass with weight [1] carries an epilogue when no Gaussian pass is left to fuse it into (all sigmas ~0). */
  private identity(src: Step, final: Final): Step {
    if (final.epilogue === 'store' && !final.reduceMax) return src;
    return this.correlate(src, 1, 'identity', [1], 'reflect', 0, final);
  }

  private correlate(
    src: Step, axis: Axis, weightsName: string, weights: ArrayLike<number>, mode: BoundaryMode, cval: number, final: Final,
  ): CorrelateStep {
    const radius = (weights.length - 1) / 2;
    const weightOffset = this.weightOffset(weightsName, weights);
    const key = `correlate(${src.id},${axis},${weightsName},${mode},${cval},${final.epilogue},${final.acc?.id ?? ''},${final.reduceMax})`;
    return this.add<CorrelateStep>(
      { kind: 'correlate', src, axis, radius, weightOffset, mode, cval, epilogue: final.epilogue, acc: final.acc, reduceMax: final.reduceMax },
      key,
    );
  }

  private weightOffset(name: string, weights: ArrayLike<number>): number {
    let offset = this.weightOffsets.get(name);
    if (offset === undefined) {
      offset = this.weights.length;
      for (let i = 0; i < weights.length; i++) this.weights.push(weights[i]);
      this.weightOffsets.set(name, offset);
    }
    return offset;
  }

  /** The existing step with this key, or `fields` added as a new one. */
  private add<S extends Step>(fields: Omit<S, 'id' | 'key'>, key: string): S {
    const existing = this.byKey.get(key);
    if (existing) return existing as S;
    const step = { ...fields, id: this.steps.length, key } as S;
    this.steps.push(step);
    this.byKey.set(key, step);
    return step;
  }
}

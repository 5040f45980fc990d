/**
 * How one benchmark case is timed: untimed warm-up runs (pipeline compilation, buffer allocation,
 * JIT), then timed runs until `repeat` runs are done, or earlier once `budgetMs` of timed runs have
 * passed and at least `minRuns` exist, so that slow cases (4096x4096 on the CPU, anything on
 * SwiftShader) stay bounded.
 */

export interface RunPolicy {
  /** Untimed runs first (>= 0). */
  warmup: number;
  /** Timed runs wanted (>= 1). */
  repeat: number;
  /** Stop after this many milliseconds of timed runs once `minRuns` exist (Infinity: never early). */
  budgetMs: number;
  /** Runs always taken, whatever the budget (1..repeat). */
  minRuns: number;
}

/** One timed run: wall-clock time, and the part an engine measured itself (GPU kernels), if any. */
export interface RunSample {
  wallMs: number;
  innerMs: number | undefined;
}

/** What a run may report besides its wall time: the GPU kernels' time from timestamp queries. */
export type RunOnce = () => Promise<number | undefined | void>;

export function validatePolicy(policy: RunPolicy): RunPolicy {
  const { warmup, repeat, budgetMs, minRuns } = policy;
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`warmup must be an integer >= 0, got ${warmup}`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new RangeError(`repeat must be an integer >= 1, got ${repeat}`);
  if (!(budgetMs > 0)) throw new RangeError(`budgetMs must be > 0 (Infinity for no budget), got ${budgetMs}`);
  if (!Number.isInteger(minRuns) || minRuns < 1 || minRuns > repeat) {
    throw new RangeError(`minRuns must be an integer from 1 to repeat (${repeat}), got ${minRuns}`);
  }
  return policy;
}

/** Runs `runOnce` as `policy` says and returns the timed runs. */
export async function measure(runOnce: RunOnce, policy: RunPolicy, clock: () => number = () => performance.now()): Promise<RunSample[]> {
  validatePolicy(policy);
  for (let i = 0; i < policy.warmup; i++) await runOnce();
  const samples: RunSample[] = [];
  let spentMs = 0;
  while (samples.length < policy.repeat) {
    const started = clock();
    const inner = await runOnce();
    const wallMs = clock() - started;
    samples.push({ wallMs, innerMs: typeof inner === 'number' ? inner : undefined });
    spentMs += wallMs;
    if (spentMs >= policy.budgetMs && samples.length >= policy.minRuns) break;
  }
  return samples;
}

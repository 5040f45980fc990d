import { describe, expect, it } from 'vitest';
import { median, perSecond, speedRatio, summarize } from '../../src/bench/statistics.js';
import { type RunPolicy, measure } from '../../src/bench/timing.js';

describe('median and summarize', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('reports n, median, min and max of the timings', () => {
    expect(summarize([12, 10, 30, 11])).toEqual({ n: 4, medianMs: 11.5, minMs: 10, maxMs: 30 });
  });

  it('refuses no timings, negative timings and NaN, naming the bad value', () => {
    expect(() => summarize([])).toThrow('cannot summarize zero timings');
    expect(() => summarize([1, -2])).toThrow('got -2');
    expect(() => summarize([Number.NaN])).toThrow('got NaN');
  });
});

describe('speedRatio and perSecond', () => {
  it('divides the slower time by the faster one: above 1 means the second is faster', () => {
    expect(speedRatio(30, 10)).toBe(3);
    expect(speedRatio(5, 10)).toBe(0.5);
  });

  it('has no ratio when a side is missing or the divisor is zero', () => {
    expect(speedRatio(undefined, 10)).toBeUndefined();
    expect(speedRatio(10, undefined)).toBeUndefined();
    expect(speedRatio(10, 0)).toBeUndefined();
  });

  it('turns a count and a duration into a rate per second', () => {
    expect(perSecond(8, 2000)).toBe(4);
    expect(() => perSecond(8, 0)).toThrow('got 0 ms');
  });
});

describe('measure', () => {
  /** A clock that advances by `step` ms each time a run executes. */
  function fakeRun(stepMs: number, inner?: number) {
    let time = 0;
    let calls = 0;
    return {
      clock: () => time,
      run: async () => {
        calls++;
        time += stepMs;
        return inner;
      },
      calls: () => calls,
    };
  }
  const policy = (overrides: Partial<RunPolicy>): RunPolicy => ({ warmup: 1, repeat: 5, budgetMs: Infinity, minRuns: 1, ...overrides });

  it('runs the warm-up untimed, then `repeat` timed runs', async () => {
    const fake = fakeRun(4);
    const samples = await measure(fake.run, policy({ warmup: 2 }), fake.clock);
    expect(fake.calls()).toBe(7);
    expect(samples.map((s) => s.wallMs)).toEqual([4, 4, 4, 4, 4]);
  });

  it('stops once the budget is spent, but not before minRuns', async () => {
    const slow = fakeRun(100);
    expect(await measure(slow.run, policy({ budgetMs: 250 }), slow.clock)).toHaveLength(3);
    const slower = fakeRun(1000);
    expect(await measure(slower.run, policy({ budgetMs: 250, minRuns: 2 }), slower.clock)).toHaveLength(2);
  });

  it('keeps the time a run reports about itself (GPU kernels) beside its wall time', async () => {
    const fake = fakeRun(3, 1.5);
    const samples = await measure(fake.run, policy({ repeat: 2 }), fake.clock);
    expect(samples).toEqual([
      { wallMs: 3, innerMs: 1.5 },
      { wallMs: 3, innerMs: 1.5 },
    ]);
  });

  it('refuses a policy that cannot be followed', async () => {
    const fake = fakeRun(1);
    await expect(measure(fake.run, policy({ repeat: 0 }), fake.clock)).rejects.toThrow('repeat must be an integer >= 1, got 0');
    await expect(measure(fake.run, policy({ minRuns: 6 }), fake.clock)).rejects.toThrow('minRuns must be an integer from 1 to repeat (5), got 6');
    await expect(measure(fake.run, policy({ warmup: -1 }), fake.clock)).rejects.toThrow('warmup must be an integer >= 0, got -1');
  });
});

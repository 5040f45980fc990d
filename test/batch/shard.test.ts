import { describe, expect, it } from 'vitest';
import { formatShard, inShard, parseShard, shardIndexOf } from '../../src/pipeline/batch/shard.js';

describe('parseShard', () => {
  it('reads I/N as a 0-based index of N shards', () => {
    expect(parseShard('0/4', {})).toEqual({ index: 0, count: 4 });
    expect(parseShard('3/4', {})).toEqual({ index: 3, count: 4 });
  });

  it('rejects an index outside 0..N-1, a zero count and other shapes, quoting the value', () => {
    expect(() => parseShard('4/4', {})).toThrow('shard index must be an integer in [0, 3], got 4 (--shard 4/4)');
    expect(() => parseShard('0/0', {})).toThrow('shard count must be an integer >= 1, got 0');
    expect(() => parseShard('1-4', {})).toThrow('--shard must be I/N (0 <= I < N), auto or auto/N; got "1-4"');
  });

  it('auto takes a Kubernetes Indexed Job index, with the count from auto/N or XRAY_SHARD_COUNT', () => {
    expect(parseShard('auto/8', { JOB_COMPLETION_INDEX: '5' })).toEqual({ index: 5, count: 8 });
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: '2', XRAY_SHARD_COUNT: '3' })).toEqual({ index: 2, count: 3 });
  });

  it('auto without a count on Kubernetes says how to give one', () => {
    expect(() => parseShard('auto', { JOB_COMPLETION_INDEX: '2' })).toThrow(/use --shard auto\/N with N = the Job's completions, or set XRAY_SHARD_COUNT/);
  });

  it('auto on a Slurm array counts from SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP', () => {
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({ index: 3, count: 8 });
    // --array=1-8: ids 1..8 are shards 0..7.
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '8', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({ index: 7, count: 8 });
    // --array=0-15:4: ids 0, 4, 8, 12 are shards 0..3.
    const step = { SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '4', SLURM_ARRAY_TASK_COUNT: '4' };
    expect(parseShard('auto', step)).toEqual({ index: 3, count: 4 });
  });

  it('auto on an unevenly spaced Slurm array is an error rather than a wrong partition', () => {
    expect(() => parseShard('auto', { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(
      /needs an evenly spaced Slurm array/,
    );
  });

  it('auto outside a scheduler names the variables it looked for', () => {
    expect(() => parseShard('auto', {})).toThrow(/JOB_COMPLETION_INDEX .* or SLURM_ARRAY_TASK_ID/);
  });

  it('rejects a non-numeric index variable, quoting it', () => {
    expect(() => parseShard('auto/2', { JOB_COMPLETION_INDEX: 'one' })).toThrow('JOB_COMPLETION_INDEX must be a non-negative integer, got "one"');
  });
});

describe('shardIndexOf / inShard', () => {
  it('is the first 48 bits of SHA-256 modulo N (FIPS 180-2 test vector "abc")', () => {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    const first48 = 0xba7816bf8f01;
    for (const n of [1, 2, 3, 7, 1000]) expect(shardIndexOf('abc', n)).toBe(first48 % n);
  });

  it('puts every key in exactly one shard, and spreads keys evenly', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `images_${String(1 + (i % 12)).padStart(3, '0')}/images/${String(i).padStart(8, '0')}_000`);
    const count = 7;
    const sizes = new Array(count).fill(0);
    for (const key of keys) {
      const owners = Array.from({ length: count }, (_, index) => index).filter((index) => inShard(key, { index, count }));
      expect(owners).toHaveLength(1);
      sizes[owners[0]]++;
    }
    // 3000 / 7 = 428.6; a fair hash stays well within +-20%.
    for (const size of sizes) expect(Math.abs(size - 3000 / count)).toBeLessThan(0.2 * (3000 / count));
  });

  it('one shard of one owns everything', () => {
    expect(inShard('anything', { index: 0, count: 1 })).toBe(true);
  });

  it('formats a shard as I/N', () => {
    expect(formatShard({ index: 2, count: 5 })).toBe('2/5');
  });
});

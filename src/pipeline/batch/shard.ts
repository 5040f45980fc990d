/**
 * Sharding a batch across machines: `--shard I/N` keeps the files whose key hashes to I modulo N.
 * The key is the file's path relative to the input root (or the patient id with `--series`, so that
 * one patient's follow-ups stay on one machine). The hash is SHA-256, so the partition is the same on
 * every machine and every run, and every file belongs to exactly one shard.
 *
 * `--shard auto` takes the index from the scheduler:
 *   Kubernetes Indexed Job: JOB_COMPLETION_INDEX (0-based). Kubernetes does not pass the number of
 *     completions, so give it as `--shard auto/N` or in XRAY_SHARD_COUNT.
 *   Slurm job array: (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP, count
 *     SLURM_ARRAY_TASK_COUNT (unless `auto/N` or XRAY_SHARD_COUNT says otherwise).
 */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 0-based, < count. */
  index: number;
  count: number;
}

/** The whole input: one shard. */
export const WHOLE: Readonly<Shard> = Object.freeze({ index: 0, count: 1 });

type Env = Readonly<Record<string, string | undefined>>;

/** Parses `I/N`, `auto` or `auto/N` (see the module comment for the environment variables read). */
export function parseShard(spec: string, env: Env = process.env): Shard {
  const explicit = /^(\d+)\/(\d+)$/.exec(spec);
  if (explicit) return checkedShard(Number(explicit[1]), Number(explicit[2]), `--shard ${spec}`);
  const auto = /^auto(?:\/(\d+))?$/.exec(spec);
  if (!auto) throw new RangeError(`--shard must be I/N (0 <= I < N), auto or auto/N; got ${JSON.stringify(spec)}`);
  const givenCount = auto[1] !== undefined ? Number(auto[1]) : undefined;
  return shardFromEnvironment(givenCount, env);
}

function shardFromEnvironment(givenCount: number | undefined, env: Env): Shard {
  const countFromEnv = env.XRAY_SHARD_COUNT !== undefined ? parseCount(env.XRAY_SHARD_COUNT, 'XRAY_SHARD_COUNT') : undefined;
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = parseIndex(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX');
    const count = givenCount ?? countFromEnv;
    if (count === undefined) {
      throw new RangeError(
        `--shard auto found JOB_COMPLETION_INDEX=${index} (Kubernetes) but not the number of shards: ` +
          `use --shard auto/N with N = the Job's completions, or set XRAY_SHARD_COUNT`,
      );
    }
    return checkedShard(index, count, `JOB_COMPLETION_INDEX=${index}`);
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = parseIndex(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID');
    const min = env.SLURM_ARRAY_TASK_MIN !== undefined ? parseIndex(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN') : 0;
    const step = env.SLURM_ARRAY_TASK_STEP !== undefined ? parseCount(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP') : 1;
    if (id < min || (id - min) % step !== 0) {
      throw new RangeError(
        `--shard auto needs an evenly spaced Slurm array (--array=A-B[:S]); got SLURM_ARRAY_TASK_ID=${id} ` +
          `with SLURM_ARRAY_TASK_MIN=${min}, SLURM_ARRAY_TASK_STEP=${step}; use --shard I/N instead`,
      );
    }
    const slurmCount =
      env.SLURM_ARRAY_TASK_COUNT !== undefined ? parseCount(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT') : undefined;
    const count = givenCount ?? countFromEnv ?? slurmCount;
    if (count === undefined) {
      throw new RangeError(`--shard auto found SLURM_ARRAY_TASK_ID=${id} but not SLURM_ARRAY_TASK_COUNT; use --shard auto/N`);
    }
    return checkedShard((id - min) / step, count, `SLURM_ARRAY_TASK_ID=${id}`);
  }
  throw new RangeError(
    '--shard auto needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array) ' +
      'in the environment; neither is set',
  );
}

function checkedShard(index: number, count: number, source: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`shard count must be an integer >= 1, got ${count} (${source})`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`shard index must be an integer in [0, ${count - 1}], got ${index} (${source})`);
  }
  return { index, count };
}

function parseIndex(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim())) throw new RangeError(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value.trim());
}

function parseCount(value: string, name: string): number {
  const n = parseIndex(value, name);
  if (n < 1) throw new RangeError(`${name} must be >= 1, got ${n}`);
  return n;
}

/** The shard (0..count-1) that owns `key`: the first 48 bits of SHA-256(key) modulo count. */
export function shardIndexOf(key: string, count: number): number {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  return digest.readUIntBE(0, 6) % count;
}

/** Whether `shard` owns `key`. */
export function inShard(key: string, shard: Shard): boolean {
  return shard.count === 1 || shardIndexOf(key, shard.count) === shard.index;
}

/** `I/N`, as written on the command line and in the manifest. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

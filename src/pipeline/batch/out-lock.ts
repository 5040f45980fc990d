/**
 * One run at a time per output directory and shard. A batch holds `OUT/.xray-gpu-batch.lock` (or
 * `.xray-gpu-batch-I-of-N.lock` for shard I of N) while it runs: a small JSON file naming the run
 * (host, pid, start time, command line), created whole under its final name with link(2), which fails
 * if the name exists, so two runs can never both hold it. Shards of one --out have their own locks and
 * may run side by side; a whole run and any shard, or shards of different counts, overlap, so each
 * refuses while the other's lock is live.
 *
 * A lock is stale when its run is gone: same host and its pid no longer exists. A stale lock is
 * removed and taken over; a lock from another host cannot be checked, so the message says how to
 * remove it by hand. Holding the lock is what makes it safe for a run to remove the temporary files
 * its shard's killed predecessors left (temp-files.ts): no live run of an overlapping shard exists.
 */
import { link, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describeFsError, errnoCode } from '../../io/fs-errors.js';
import type { Shard } from './shard.js';

const LOCK_PREFIX = '.xray-gpu-batch';
const LOCK_NAME = /^\.xray-gpu-batch(?:-(\d+)-of-(\d+))?\.lock$/;

export interface LockOwner {
  host: string;
  pid: number;
  /** ISO 8601. */
  started: string;
  /** The run id of the manifest lines it writes. */
  run: string;
  command: string;
}

/** Another live run holds a lock that overlaps ours. */
export class OutLockError extends Error {
  constructor(
    message: string,
    readonly lockFile: string,
  ) {
    super(message);
    this.name = 'OutLockError';
  }
}

export interface OutLock {
  file: string;
  /** Removes the lock (idempotent). */
  release(): Promise<void>;
}

/** The lock file name of a shard (the whole run when count is 1). */
export function lockFileName(shard: Shard): string {
  return shard.count === 1 ? `${LOCK_PREFIX}.lock` : `${LOCK_PREFIX}-${shard.index}-of-${shard.count}.lock`;
}

/**
 * Takes the lock of `shard` in `outputDir` (which must exist), removing stale ones; throws
 * `OutLockError` naming the other run when a live run holds this lock or an overlapping one.
 * `log` hears about stale locks taken over.
 */
export async function acquireOutLock(outputDir: string, shard: Shard, owner: LockOwner, log: (line: string) => void): Promise<OutLock> {
  const file = path.join(outputDir, lockFileName(shard));
  const text = `${JSON.stringify(owner)}\n`;
  // Written whole under a name of our own, then linked: the lock name never holds a partial file.
  const draft = path.join(outputDir, `${LOCK_PREFIX}.${owner.pid}.${Date.now()}.draft`);
  try {
    await writeFile(draft, text, { flag: 'wx' });
  } catch (error) {
    await rm(draft, { force: true });
    throw new Error(`cannot create a lock in ${outputDir}: ${describeFsError(error, 'write')}`, { cause: error });
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(draft, file);
        break;
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST' || attempt >= 3) {
          throw new Error(`cannot create the lock ${file}: ${describeFsError(error, 'write')}`, { cause: error });
        }
      }
      // The name is taken: refuse if its run is alive, else remove the stale lock and try again.
      await removeIfStale(file, log);
    }
  } finally {
    await rm(draft, { force: true });
  }
  let released = false;
  // A second signal ends the process at once (process.exit); the lock must not outlive it.
  const onExit = () => {
    if (!released) rmSync(file, { force: true });
  };
  process.once('exit', onExit);
  const lock: OutLock = {
    file,
    release: async () => {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      await rm(file, { force: true });
    },
  };
  try {
    await checkOverlappingLocks(outputDir, shard, file, log);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return lock;
}

/** Throws when a live run holds a lock of a shard overlapping ours; removes stale ones. */
async function checkOverlappingLocks(outputDir: string, shard: Shard, ours: string, log: (line: string) => void): Promise<void> {
  for (const name of await readdir(outputDir)) {
    const match = LOCK_NAME.exec(name);
    const file = path.join(outputDir, name);
    if (!match || file === ours) continue;
    const other: Shard = match[1] === undefined ? { index: 0, count: 1 } : { index: Number(match[1]), count: Number(match[2]) };
    if (!overlaps(shard, other)) continue;
    await removeIfStale(file, log);
  }
}

/** Shards I/N and J/N are disjoint when I != J; anything else (a whole run, other counts) may share images. */
function overlaps(a: Shard, b: Shard): boolean {
  return !(a.count === b.count && a.count > 1 && a.index !== b.index);
}

/** Removes `file` if the run it names is gone; throws OutLockError if it is alive (or cannot be told). */
async function removeIfStale(file: string, log: (line: string) => void): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return; // released meanwhile
    throw new Error(`cannot read the lock ${file}: ${describeFsError(error, 'read')}`, { cause: error });
  }
  const owner = parseOwner(text);
  const unlock = `if it is not running any more, delete ${file}`;
  if (owner === undefined) {
    throw new OutLockError(`another batch may be writing to this --out: ${file} exists but does not name a run; ${unlock}`, file);
  }
  const who = `pid ${owner.pid} on ${owner.host}, started ${owner.started}: ${owner.command}`;
  if (owner.host !== hostname()) {
    throw new OutLockError(`another batch is writing to this --out (${who}); wait for it to end, or use another --out; ${unlock}`, file);
  }
  if (isAlive(owner.pid)) {
    throw new OutLockError(`another batch is writing to this --out (${who}); wait for it to end, or use another --out`, file);
  }
  await rm(file, { force: true });
  log(`batch: removed a stale lock left by a run that ended without cleaning up (${who})`);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const owner = value as Partial<LockOwner>;
    if (typeof owner.host !== 'string' || !Number.isInteger(owner.pid)) return undefined;
    return { host: owner.host, pid: owner.pid as number, started: String(owner.started), run: String(owner.run), command: String(owner.command) };
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this host (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errnoCode(error) === 'EPERM';
  }
}

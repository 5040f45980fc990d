/** Running counts of a batch: outcomes, and time spent per stage (summed over all workers). */
import type { ImageStatus, StageTimings } from './manifest.js';

export interface Tally {
  ok: number;
  failed: number;
  skipped: number;
  /** Sums over every image done: wall milliseconds of each stage in the workers (concurrent images overlap). */
  decodeMs: number;
  computeMs: number;
  encodeMs: number;
}

export function emptyTally(): Tally {
  return { ok: 0, failed: 0, skipped: 0, decodeMs: 0, computeMs: 0, encodeMs: 0 };
}

/** Counts one outcome (and its stage timings, when it has them) into `tally`. */
export function countOutcome(tally: Tally, status: ImageStatus, timings?: StageTimings): void {
  tally[status]++;
  if (timings) {
    tally.decodeMs += timings.decodeMs;
    tally.computeMs += timings.computeMs;
    tally.encodeMs += timings.encodeMs;
  }
}

/** Images whose outcome is known. */
export function finishedCount(tally: Tally): number {
  return tally.ok + tally.failed + tally.skipped;
}

/** Human duration: 850 ms, 12.3 s, 4m05s, 2h03m. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

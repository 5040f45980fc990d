/** The end-of-batch summary: outcomes, throughput, and where the time went. */
import { type Tally, formatDuration } from './tally.js';

/** Why a batch stopped before the end of its input. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'max-failures' | 'write-failure';

export interface BatchSummary {
  ok: number;
  failed: number;
  skipped: number;
  elapsedMs: number;
  /** Images computed (ok or failed) per second of wall time; skipped images do not count. */
  imagesPerSecond: number;
  /** Worker time per stage, summed over every image (ms). */
  stageMs: { decode: number; compute: number; encode: number };
  /** The engine that computed, e.g. "cpu (float64 reference, WebAssembly SIMD) in 2 worker threads". */
  engine: string;
  jobs: number;
  manifest: string;
  /** Set when the batch stopped before the end of its input. */
  stoppedBy?: StopReason;
  /** With stoppedBy 'write-failure': what could not be written, one line. */
  error?: string;
}

export function summarize(
  tally: Tally,
  elapsedMs: number,
  details: { engine: string; jobs: number; manifest: string; stoppedBy?: StopReason; error?: string },
): BatchSummary {
  const computed = tally.ok + tally.failed;
  return {
    ok: tally.ok,
    failed: tally.failed,
    skipped: tally.skipped,
    elapsedMs,
    imagesPerSecond: elapsedMs > 0 ? computed / (elapsedMs / 1000) : 0,
    stageMs: { decode: tally.decodeMs, compute: tally.computeMs, encode: tally.encodeMs },
    ...details,
  };
}

/** The summary as lines for a terminal. */
export function formatSummary(summary: BatchSummary): string[] {
  const { ok, failed, skipped, stageMs } = summary;
  const lines = [
    `batch: ${ok + failed + skipped} images: ${ok} ok, ${failed} failed, ${skipped} skipped in ` +
      `${formatDuration(summary.elapsedMs)} (${summary.imagesPerSecond.toFixed(2)} images/s, ${summary.engine})`,
  ];
  const stageTotal = stageMs.decode + stageMs.compute + stageMs.encode;
  if (ok > 0 && stageTotal > 0) {
    const part = (ms: number) => `${formatDuration(ms / ok)} (${Math.round((100 * ms) / stageTotal)}%)`;
    lines.push(
      `time per image (wall time in the workers, where concurrent images overlap): decode ${part(stageMs.decode)}, compute ${part(stageMs.compute)}, ` +
        `encode+write ${part(stageMs.encode)}`,
    );
  }
  if (summary.stoppedBy) {
    if (summary.stoppedBy === 'write-failure') {
      lines.push(`stopped early: ${summary.error ?? 'the manifest could not be written'}; make room, then run again with --resume to finish`);
    } else {
      const why = summary.stoppedBy === 'max-failures' ? 'the --max-failures limit was reached' : `${summary.stoppedBy} was received`;
      lines.push(`stopped early: ${why}; run again with --resume to finish`);
    }
  }
  lines.push(`manifest: ${summary.manifest}`);
  return lines;
}

/**
 * Stopping a batch cleanly. The first SIGINT, SIGTERM or SIGHUP stops the walk: no new image starts, the
 * images in flight finish (each takes well under a second) and their outputs and manifest lines are
 * written, then the batch exits 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP). A second signal aborts at once: the
 * workers are terminated; outputs are renamed into place only when whole, so the worst left behind
 * is a temporary file, removed by the next run.
 */
import type { BatchSummary, StopReason } from './summary.js';

/** SIGHUP (the terminal closed, or a supervisor's stop) is handled like SIGTERM. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

export class StopController {
  private reason: StopReason | undefined;
  private readonly listeners: (() => void)[] = [];

  /** Why the batch is stopping, or undefined while it runs on. */
  get stoppedBy(): StopReason | undefined {
    return this.reason;
  }

  get stopping(): boolean {
    return this.reason !== undefined;
  }

  /** Asks the batch to stop taking new images; the first reason given is kept. */
  request(reason: StopReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    for (const listener of this.listeners.splice(0)) listener();
  }

  /** Calls `listener` once when a stop is requested (at once if it already was). */
  onStop(listener: () => void): void {
    if (this.reason !== undefined) listener();
    else this.listeners.push(listener);
  }
}

export interface SignalHandlers {
  /** Called on the first signal (e.g. to print that in-flight images are finishing). */
  onFirst: (signal: (typeof SIGNALS)[number]) => void;
  /** Called on a second signal: stop now. */
  onSecond: (signal: (typeof SIGNALS)[number]) => void;
}

/** Routes SIGINT/SIGTERM/SIGHUP to `stop` while a batch runs; returns the function that removes the handlers. */
export function handleStopSignals(stop: StopController, handlers: SignalHandlers): () => void {
  const handler = (signal: (typeof SIGNALS)[number]) => {
    if (stop.stopping) handlers.onSecond(signal);
    else {
      stop.request(signal);
      handlers.onFirst(signal);
    }
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}

/** 128 + the signal number when a signal stopped the batch; else 1 if any image failed; else 0. */
export function exitCodeFor(summary: Pick<BatchSummary, 'failed' | 'stoppedBy'>): number {
  const reason = summary.stoppedBy;
  if (reason === 'SIGINT' || reason === 'SIGTERM' || reason === 'SIGHUP') return 128 + SIGNAL_NUMBERS[reason];
  if (reason === 'write-failure') return 1;
  return summary.failed > 0 ? 1 : 0;
}

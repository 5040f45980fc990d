/**
 * Progress while a batch runs, on stderr: a redrawn bar on a terminal (cli-progress), plain lines
 * every few seconds otherwise (logs, CI), nothing with --quiet. Rates count images computed (ok or
 * failed), not images skipped by --resume, so the ETA stays honest when resuming.
 */
import cliProgress from 'cli-progress';
import { type Tally, finishedCount, formatDuration } from './tally.js';

export type ProgressMode = 'bar' | 'lines' | 'quiet';

export interface ProgressReporter {
  /** The number of images the batch will see, once the counting walk knows it. */
  setTotal(total: number): void;
  update(tally: Tally): void;
  /** Prints a line without garbling the bar (e.g. a failure). */
  log(line: string): void;
  /** Final redraw; the reporter prints nothing afterwards. */
  stop(): void;
}

export interface ProgressOptions {
  mode: ProgressMode;
  stream?: NodeJS.WriteStream;
  /** Period of plain progress lines, in ms (default 5000). */
  lineIntervalMs?: number;
  /** Clock, for tests (default performance.now). */
  now?: () => number;
  /** The command named at the start of plain lines (default "batch"). */
  label?: string;
}

/** `bar` when the stream is a terminal, else `lines`; `quiet` when asked. */
export function chooseProgressMode(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (quiet) return 'quiet';
  return stream.isTTY ? 'bar' : 'lines';
}

export function createProgress(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const state = new ProgressState(now);
  switch (options.mode) {
    case 'quiet':
      return { setTotal: () => {}, update: () => {}, log: () => {}, stop: () => {} };
    case 'lines':
      return new LineProgress(state, stream, options.lineIntervalMs ?? 5000, now, options.label ?? 'batch');
    case 'bar':
      return new BarProgress(state, stream);
  }
}

/** What both displays show: counts, rate, ETA. */
class ProgressState {
  total: number | undefined;
  tally: Tally | undefined;
  private readonly start: number;

  constructor(private readonly now: () => number) {
    this.start = now();
  }

  /** Images computed (not skipped) per second since the start. */
  rate(): number {
    const seconds = (this.now() - this.start) / 1000;
    const computed = this.tally ? this.tally.ok + this.tally.failed : 0;
    return seconds > 0 ? computed / seconds : 0;
  }

  finished(): number {
    return this.tally ? finishedCount(this.tally) : 0;
  }

  etaText(): string {
    const rate = this.rate();
    if (this.total === undefined || rate === 0) return '?';
    return formatDuration(((this.total - this.finished()) / rate) * 1000);
  }

  countsText(): string {
    const total = this.total === undefined ? '?' : String(this.total);
    const t = this.tally;
    const extra = t ? `ok ${t.ok}, failed ${t.failed}, skipped ${t.skipped}` : 'starting';
    return `${this.finished()}/${total} images (${extra})`;
  }
}

/** A stalled batch still says it is alive, but not more often than this. */
const UNCHANGED_LINE_INTERVAL_MS = 60_000;

class LineProgress implements ProgressReporter {
  private readonly timer: NodeJS.Timeout;
  private lastCounts = '';
  private lastPrinted = -Infinity;

  constructor(
    private readonly state: ProgressState,
    private readonly stream: NodeJS.WriteStream,
    intervalMs: number,
    private readonly now: () => number,
    private readonly label: string,
  ) {
    this.timer = setInterval(() => this.print(), intervalMs);
    this.timer.unref();
  }

  setTotal(total: number): void {
    this.state.total = total;
  }

  update(tally: Tally): void {
    this.state.tally = tally;
  }

  log(line: string): void {
    this.stream.write(`${line}\n`);
  }

  stop(): void {
    clearInterval(this.timer);
    this.print(true);
  }

  private print(force = false): void {
    const counts = this.state.countsText();
    const now = this.now();
    // Nothing finished since the last line (a slow image, a stalled disk): stay quiet for a while.
    if (!force && counts === this.lastCounts && now - this.lastPrinted < UNCHANGED_LINE_INTERVAL_MS) return;
    this.lastCounts = counts;
    this.lastPrinted = now;
    this.stream.write(`${this.label}: ${counts} | ${this.state.rate().toFixed(2)} images/s | ETA ${this.state.etaText()}\n`);
  }
}

class BarProgress implements ProgressReporter {
  private readonly bars: cliProgress.MultiBar;
  private readonly bar: cliProgress.SingleBar;

  constructor(
    private readonly state: ProgressState,
    stream: NodeJS.WriteStream,
  ) {
    this.bars = new cliProgress.MultiBar({
      stream,
      // The batch handles SIGINT/SIGTERM itself (finishing in-flight images); cli-progress must not.
      gracefulExit: false,
      hideCursor: true,
      linewrap: true,
      format: () => this.render(),
    });
    this.bar = this.bars.create(1, 0);
  }

  setTotal(total: number): void {
    this.state.total = total;
    this.bar.setTotal(Math.max(total, 1));
  }

  update(tally: Tally): void {
    this.state.tally = tally;
    this.bar.update(this.state.finished());
  }

  log(line: string): void {
    this.bars.log(`${line}\n`);
  }

  stop(): void {
    this.bar.update(this.state.finished());
    this.bars.stop();
  }

  private render(): string {
    const width = 30;
    const fraction = this.state.total ? Math.min(1, this.state.finished() / this.state.total) : 0;
    const filled = Math.round(fraction * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const percent = this.state.total ? `${Math.floor(fraction * 100)}% ` : '';
    const t = this.state.tally;
    // Most useful first: a narrow terminal cuts the line at its width.
    return (
      `${bar} ${percent}${this.state.finished()}/${this.state.total ?? '?'} | ${this.state.rate().toFixed(2)} images/s | ` +
      `ETA ${this.state.etaText()} | failed ${t?.failed ?? 0}, skipped ${t?.skipped ?? 0}`
    );
  }
}

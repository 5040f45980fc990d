import { describe, expect, it } from 'vitest';
import { chooseProgressMode, createProgress } from '../../src/pipeline/batch/progress.js';
import { formatSummary, summarize } from '../../src/pipeline/batch/summary.js';
import { exitCodeFor } from '../../src/pipeline/batch/signals.js';
import { emptyTally, formatDuration } from '../../src/pipeline/batch/tally.js';

/** A stream that records what is written, and says whether it is a terminal. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  let text = '';
  return { isTTY, write: (chunk: string) => ((text += chunk), true), text: () => text } as unknown as NodeJS.WriteStream & { text: () => string };
}

describe('progress', () => {
  it('chooses a bar on a terminal, lines otherwise, nothing with --quiet', () => {
    expect(chooseProgressMode(false, fakeStream(true))).toBe('bar');
    expect(chooseProgressMode(false, fakeStream(false))).toBe('lines');
    expect(chooseProgressMode(true, fakeStream(true))).toBe('quiet');
  });

  it('plain lines give counts, the rate of computed images and an ETA from it', () => {
    let clock = 0;
    const stream = fakeStream(false);
    const progress = createProgress({ mode: 'lines', stream, lineIntervalMs: 60_000, now: () => clock });
    progress.setTotal(12);
    // 2 computed and 2 skipped (resume) after 2 s: 1 image/s, 8 to go.
    progress.update({ ...emptyTally(), ok: 1, failed: 1, skipped: 2 });
    clock = 2000;
    progress.stop();
    expect(stream.text()).toBe('batch: 4/12 images (ok 1, failed 1, skipped 2) | 1.00 images/s | ETA 8.0 s\n');
  });

  it('prints a failure line as given', () => {
    const stream = fakeStream(false);
    const progress = createProgress({ mode: 'lines', stream, lineIntervalMs: 60_000 });
    progress.log('failed: x.png: truncated');
    progress.stop();
    expect(stream.text().split('\n')[0]).toBe('failed: x.png: truncated');
  });
});

describe('summary and exit status', () => {
  it('states outcomes, throughput over computed images, and the time split per image', () => {
    const tally = { ok: 4, failed: 1, skipped: 5, decodeMs: 40, computeMs: 400, encodeMs: 160 };
    const summary = summarize(tally, 2000, { engine: 'cpu', jobs: 2, manifest: 'm.jsonl' });
    expect(summary.imagesPerSecond).toBe(2.5);
    expect(formatSummary(summary)).toEqual([
      'batch: 10 images: 4 ok, 1 failed, 5 skipped in 2.0 s (2.50 images/s, cpu)',
      'time per image (wall time in the workers, where concurrent images overlap): decode 10 ms (7%), compute 100 ms (67%), encode+write 40 ms (27%)',
      'manifest: m.jsonl',
    ]);
  });

  it('exits 0 when all went well, 1 when an image failed, 128 + the signal number when stopped by one', () => {
    expect(exitCodeFor({ failed: 0 })).toBe(0);
    expect(exitCodeFor({ failed: 3 })).toBe(1);
    expect(exitCodeFor({ failed: 3, stoppedBy: 'max-failures' })).toBe(1);
    expect(exitCodeFor({ failed: 0, stoppedBy: 'SIGINT' })).toBe(130);
    expect(exitCodeFor({ failed: 2, stoppedBy: 'SIGTERM' })).toBe(143);
  });

  it('formats durations for people', () => {
    expect([850, 12_340, 245_000, 7_380_000].map(formatDuration)).toEqual(['850 ms', '12.3 s', '4m05s', '2h03m']);
  });
});

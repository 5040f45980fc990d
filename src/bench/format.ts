/** Number formatting shared by the progress lines, results.md and the README section. */
import type { Measurement } from './results.js';

/** Milliseconds with about three significant digits: "0.0123 ms", "1.23 ms", "12.3 ms", "1234 ms". */
export function formatMs(ms: number): string {
  return `${formatNumber(ms)} ms`;
}

/** About three significant digits, without exponents: 0.0123, 1.23, 12.3, 123, 1234. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return String(Math.round(value));
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  if (magnitude === 0) return '0';
  return value.toPrecision(3);
}

/** A speed ratio as "12.3×"; "–" when there is none. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? '–' : `${formatNumber(ratio)}×`;
}

/** Bytes in MiB: "64.0 MiB". */
export function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * A table cell for a measurement: "12.3 [11.9–13.0]" (median [min–max] ms), with "n=2" added when
 * fewer runs than `repeat` were taken; "n/a", "failed", "skipped" otherwise.
 */
export function formatCell(measurement: Measurement | undefined, repeat: number): string {
  if (!measurement) return '';
  switch (measurement.status) {
    case 'ok': {
      const spread = measurement.n > 1 ? ` [${formatNumber(measurement.minMs)}–${formatNumber(measurement.maxMs)}]` : '';
      const runs = measurement.n !== repeat ? ` n=${measurement.n}` : '';
      return `${formatNumber(measurement.medianMs)}${spread}${runs}`;
    }
    case 'unsupported':
      return 'n/a';
    default:
      return measurement.status;
  }
}

/** The median of an ok measurement, else undefined. */
export function medianOf(measurement: Measurement | undefined): number | undefined {
  return measurement?.status === 'ok' ? measurement.medianMs : undefined;
}

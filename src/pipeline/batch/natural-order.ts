/**
 * Natural ("human") order of file names: digit runs compare as numbers, so `img2.png` comes before
 * `img10.png`. Locale-independent (plain UTF-16 code units outside digit runs), so every machine of a
 * sharded batch sees the same order.
 */

const DIGIT_RUN = /(\d+)/;

/** Compares two names in natural order; a total order (ties broken by plain code-unit order). */
export function compareNatural(a: string, b: string): number {
  const partsA = a.split(DIGIT_RUN);
  const partsB = b.split(DIGIT_RUN);
  const n = Math.min(partsA.length, partsB.length);
  // split() with a capture group alternates text (even index) and digit runs (odd index).
  for (let i = 0; i < n; i++) {
    const pa = partsA[i];
    const pb = partsB[i];
    if (pa === pb) continue;
    const order = i % 2 === 1 ? compareDigitRuns(pa, pb) : compareCodeUnits(pa, pb);
    if (order !== 0) return order;
  }
  if (partsA.length !== partsB.length) return partsA.length - partsB.length;
  return compareCodeUnits(a, b);
}

/** Digit runs of any length (no Number overflow): fewer significant digits is smaller. */
function compareDigitRuns(a: string, b: string): number {
  const sa = a.replace(/^0+/, '');
  const sb = b.replace(/^0+/, '');
  if (sa.length !== sb.length) return sa.length - sb.length;
  const order = compareCodeUnits(sa, sb);
  // Equal values: fewer leading zeros first, so "1" < "01" deterministically.
  return order !== 0 ? order : a.length - b.length;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * PNG's Paeth predictor (spec 9.4), shared by the decoder (png.ts) and the encoder's scalar filter
 * (src/io/paeth-filter.ts): of a (left), b (above) and c (upper left), the one closest to
 * p = a + b - c, ties going to a, then b. Chosen with sign masks rather than branches: X-ray rows
 * make the branches unpredictable, and the loops run about 3x faster so.
 */
export function paethPredictor(a: number, b: number, c: number): number {
  // pa = |p - a| = |b - c|, pb = |p - b| = |a - c|, pc = |p - c| = |a + b - 2c|.
  const da = b - c;
  const db = a - c;
  const dc = da + db;
  const sa = da >> 31;
  const sb = db >> 31;
  const sc = dc >> 31;
  const pa = (da ^ sa) - sa;
  const pb = (db ^ sb) - sb;
  const pc = (dc ^ sc) - sc;
  // -1 where a loses (pa > pb or pa > pc); -1 where c beats b (pb > pc).
  const notA = ((pb - pa) | (pc - pa)) >> 31;
  const cOverB = (pc - pb) >> 31;
  const bOrC = b ^ ((b ^ c) & cOverB);
  return a ^ ((a ^ bOrC) & notA);
}

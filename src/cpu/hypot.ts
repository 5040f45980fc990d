/**
 * `numpy.hypot` bit for bit. NumPy calls the C library's hypot; glibc 2.35+ (Debian 12 has 2.36)
 * computes it with Borges' correction ("An Improved Algorithm for hypot(a,b)", 2019) in
 * sysdeps/ieee754/dbl-64/e_hypot.c, non-FMA path on x86-64. `Math.hypot` and `sqrt(a*a + b*b)`
 * both differ from it in the last bit for about a fifth of random inputs, enough to flip ties in
 * Canny's non-maximum suppression; this port matched glibc on 200,000 random pairs.
 */

const SCALE = 2 ** -600;
const LARGE_VAL = 2 ** 511;
const TINY_VAL = 2 ** -511;
const EPS = 2 ** -54;

/** sqrt(ax^2 + ay^2) for ax >= ay >= 0, corrected to (nearly always) the correctly rounded value. */
function kernel(ax: number, ay: number): number {
  let h = Math.sqrt(ax * ax + ay * ay);
  let t1: number;
  let t2: number;
  if (h <= 2.0 * ay) {
    const delta = h - ay;
    t1 = ax * (2.0 * delta - ax);
    t2 = (delta - 2.0 * (ax - ay)) * delta;
  } else {
    const delta = h - ax;
    t1 = 2.0 * delta * (ax - 2.0 * ay);
    t2 = (4.0 * delta - ay) * ay + delta * delta;
  }
  h -= (t1 + t2) / (2.0 * h);
  return h;
}

/** glibc's `hypot(x, y)`, i.e. what `numpy.hypot` returns on Linux for float64. */
export function glibcHypot(x: number, y: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return Math.hypot(x, y); // inf beats NaN, as in C
  x = Math.abs(x);
  y = Math.abs(y);
  const ax = x < y ? y : x;
  const ay = x < y ? x : y;
  // Scale huge and tiny inputs so that the squares neither overflow nor underflow.
  if (ax > LARGE_VAL) {
    if (ay <= ax * EPS) return ax + ay;
    return kernel(ax * SCALE, ay * SCALE) / SCALE;
  }
  if (ay < TINY_VAL) {
    if (ax >= ay / EPS) return ax + ay;
    return kernel(ax / SCALE, ay / SCALE) * SCALE;
  }
  if (ay <= ax * EPS) return ax + ay;
  return kernel(ax, ay);
}

// Shared helpers prepended to every xray-gpu kernel (see src/gpu/pipelines.ts).
//
// Boundary modes mirror src/filters/boundary.ts `boundaryIndex` (scipy.ndimage's NI_ExtendLine),
// numbered in the order of BOUNDARY_MODES. The reflection repeats, so kernels wider than the image
// behave as in SciPy.

const MODE_REFLECT: u32 = 0u;  // d c b a | a b c d | d c b a
const MODE_MIRROR: u32 = 1u;   // d c b | a b c d | c b a
const MODE_NEAREST: u32 = 2u;  // a a a | a b c d | d d d
const MODE_CONSTANT: u32 = 3u; // k k k | a b c d | k k k
const MODE_WRAP: u32 = 4u;     // a b c d | a b c d | a b c d

// Python-style modulo: the result has the sign of the divisor (WGSL's % truncates toward zero).
fn floor_mod(i: i32, n: i32) -> i32 {
  let r = i % n;
  return select(r, r + n, r < 0);
}

// Maps a possibly out-of-range index onto [0, n); -1 means "outside, use cval" (constant mode).
fn boundary_index(i: i32, n: i32, mode: u32) -> i32 {
  if (i >= 0 && i < n) {
    return i;
  }
  switch mode {
    case MODE_CONSTANT: {
      return -1;
    }
    case MODE_NEAREST: {
      return select(n - 1, 0, i < 0);
    }
    case MODE_WRAP: {
      return floor_mod(i, n);
    }
    case MODE_MIRROR: {
      if (n == 1) {
        return 0;
      }
      let period = 2 * n - 2;
      let r = floor_mod(i, period);
      return select(period - r, r, r < n);
    }
    default: { // MODE_REFLECT
      let period = 2 * n;
      let r = floor_mod(i, period);
      return select(period - 1 - r, r, r < n);
    }
  }
}

// Linear pixel index of an invocation in a 2-D dispatch of a 1-D problem (more than 65,535
// workgroups along x are folded into y), or a value >= count when the invocation has no pixel.
fn linear_index(id: vec3u, groups: vec3u, workgroup_width: u32) -> u32 {
  return id.y * groups.x * workgroup_width + id.x;
}

// Orders non-negative floats by their bits: the key used for atomicMax reductions. Zero, negative
// values (incl. -0.0) and NaN map to 0, so a plane of zeros reduces to a maximum of +0.0.
fn max_key(v: f32) -> u32 {
  return select(0u, bitcast<u32>(v), v > 0.0);
}

// Canny non-maximum suppression, as scikit-image 0.19's `_get_local_maxima` (feature/_canny.py).
//
// Input: the Sobel gradients isobel (axis 0, down the rows) and jsobel (axis 1, along a row).
// Output `maxima`: the gradient magnitude where the pixel is a local maximum along its gradient
// direction, 0 elsewhere (a local maximum always has magnitude > 0), and optionally the magnitude
// of every pixel (for quantile thresholds, computed on the host).
//
// A pixel qualifies when it is not on the 1-pixel border (the eroded mask), its magnitude is > 0,
// and on both sides of the gradient direction the magnitude interpolated between the axis
// neighbour c1 and the diagonal neighbour c2, `c2 * w + c1 * (1 - w)` with w = |minor| / |major|
// gradient component, does not exceed its own. scikit-image assigns the four octant pairs in turn
// (0-45, 45-90, 90-135, 135-180 degrees) and a pixel on a boundary between two keeps the LAST
// assignment; testing them in reverse order and taking the first match does the same.

struct NmsParams {
  width: u32,
  height: u32,
  write_magnitude: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: NmsParams;
@group(0) @binding(1) var<storage, read> isobel: array<f32>;
@group(0) @binding(2) var<storage, read> jsobel: array<f32>;
@group(0) @binding(3) var<storage, read_write> maxima: array<f32>;
@group(0) @binding(4) var<storage, read_write> magnitude: array<f32>;

// Magnitude at (x, y), computed the same way for the centre and its neighbours so ties stay ties.
fn magnitude_at(x: i32, y: i32) -> f32 {
  let index = u32(y) * params.width + u32(x);
  let gi = isobel[index];
  let gj = jsobel[index];
  return sqrt(gi * gi + gj * gj);
}

// `_set_local_maxima`'s test for both sides of the gradient.
fn not_below(m: f32, c1_plus: f32, c2_plus: f32, c1_minus: f32, c2_minus: f32, w: f32) -> bool {
  return c2_plus * w + c1_plus * (1.0 - w) <= m && c2_minus * w + c1_minus * (1.0 - w) <= m;
}

@compute @workgroup_size(16, 16)
fn nms(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= params.width || id.y >= params.height) {
    return;
  }
  let x = i32(id.x);
  let y = i32(id.y);
  let m = magnitude_at(x, y);
  let index = id.y * params.width + id.x;
  if (params.write_magnitude != 0u) {
    magnitude[index] = m;
  }
  let interior = x >= 1 && y >= 1 && x < i32(params.width) - 1 && y < i32(params.height) - 1;
  var result = 0.0;
  if (interior && m > 0.0) {
    let gi = isobel[index];
    let gj = jsobel[index];
    let ai = abs(gi);
    let aj = abs(gj);
    let horizontal = ai >= aj;
    let vertical = ai <= aj;
    // is_up & is_right | is_down & is_left, and is_down & is_right | is_up & is_left.
    let main_diagonal = (gi >= 0.0 && gj >= 0.0) || (gi <= 0.0 && gj <= 0.0);
    let anti_diagonal = (gi <= 0.0 && gj >= 0.0) || (gi >= 0.0 && gj <= 0.0);
    var keep: bool;
    if (anti_diagonal && horizontal) {
      // 135-180 degrees: the rows above and below, mixed with the anti-diagonal.
      keep = not_below(m, magnitude_at(x, y - 1), magnitude_at(x + 1, y - 1), magnitude_at(x, y + 1), magnitude_at(x - 1, y + 1), aj / ai);
    } else if (anti_diagonal && vertical) {
      // 90-135 degrees: the columns right and left, mixed with the anti-diagonal.
      keep = not_below(m, magnitude_at(x + 1, y), magnitude_at(x + 1, y - 1), magnitude_at(x - 1, y), magnitude_at(x - 1, y + 1), ai / aj);
    } else if (main_diagonal && vertical) {
      // 45-90 degrees: the columns right and left, mixed with the diagonal.
      keep = not_below(m, magnitude_at(x + 1, y), magnitude_at(x + 1, y + 1), magnitude_at(x - 1, y), magnitude_at(x - 1, y - 1), ai / aj);
    } else {
      // 0-45 degrees: the rows below and above, mixed with the diagonal.
      keep = not_below(m, magnitude_at(x, y + 1), magnitude_at(x + 1, y + 1), magnitude_at(x, y - 1), magnitude_at(x - 1, y - 1), aj / ai);
    }
    if (keep) {
      result = m;
    }
  }
  maxima[index] = result;
}

// Canny smoothing that ignores what lies beyond the border (scikit-image's `_preprocess` without a
// mask): smoothed = scale * G(raw) / (G(ones) + eps).
//
// G(raw) is the Gaussian of the raw pixels (0..255 for uint8) computed by the correlate program
// with cval / scale, so `scale` (img_as_float's 1/255 or 1/65535) is applied once, here.
// G(ones), the Gaussian of an all-ones mask with the same mode and cval, is separable into tables
// the host computes in float64 (src/gpu/canny.ts, bleedOverTables):
//   G(ones)(y, x) = rows[y] * inside[x] + cval * outside[x]
// where rows[y] is the axis-0 pass of the ones (padded with cval), and inside[x] / outside[x] sum
// the axis-1 weights whose taps land inside / outside the image.

struct SmoothParams {
  width: u32,
  height: u32,
  scale: f32,
  cval: f32,
}

@group(0) @binding(0) var<uniform> params: SmoothParams;
@group(0) @binding(1) var<storage, read> blurred: array<f32>;
// rows[height], then inside[width], then outside[width].
@group(0) @binding(2) var<storage, read> bleed_tables: array<f32>;
@group(0) @binding(3) var<storage, read_write> smoothed: array<f32>;

// np.finfo(float).eps, added as scikit-image adds it (2^-52, exact in float32).
const FLOAT64_EPSILON: f32 = 2.220446049250313e-16;

@compute @workgroup_size(16, 16)
fn smooth_divide(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= params.width || id.y >= params.height) {
    return;
  }
  let rows = bleed_tables[id.y];
  let inside = bleed_tables[params.height + id.x];
  let outside = bleed_tables[params.height + params.width + id.x];
  let bleed_over = rows * inside + params.cval * outside + FLOAT64_EPSILON;
  let index = id.y * params.width + id.x;
  smoothed[index] = params.scale * blurred[index] / bleed_over;
}

// Separable resampling (src/filters/resize.ts): out = Rows * X * Cols^T, each axis a sparse table
// built on the host (skimage's Gaussian prefilter folded into its bilinear zoom taps, or OpenCV's
// INTER_AREA cell weights). Two passes of 256-wide workgroups over a 1-D index:
//   resize_rows:    tmp[o, x] = sum_k w_k * src[i_k, x]                  (out_height x in_width)
//   resize_columns: dst[o, j] = clamp(sum_k w_k * tmp[o, i_k], lo, hi)   (out_height x out_width)
// A table is `offsets` (out_length + 1 entries) into `taps` (input indices) and `weights`.

struct ResizeParams {
  in_width: u32,
  out_width: u32,
  out_height: u32,
  // 1: clamp the result to [lo, hi] (skimage clips to the input's range); 0: leave it.
  clip: u32,
  lo: f32,
  hi: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: ResizeParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<storage, read> offsets: array<u32>;
@group(0) @binding(4) var<storage, read> taps: array<u32>;
@group(0) @binding(5) var<storage, read> weights: array<f32>;

@compute @workgroup_size(256)
fn resize_rows(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i >= params.out_height * params.in_width) {
    return;
  }
  let o = i / params.in_width;
  let x = i % params.in_width;
  var sum = 0.0;
  for (var k = offsets[o]; k < offsets[o + 1u]; k++) {
    sum += weights[k] * src[taps[k] * params.in_width + x];
  }
  dst[i] = sum;
}

@compute @workgroup_size(256)
fn resize_columns(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i >= params.out_height * params.out_width) {
    return;
  }
  let o = i / params.out_width;
  let j = i % params.out_width;
  let row = o * params.in_width;
  var sum = 0.0;
  for (var k = offsets[j]; k < offsets[j + 1u]; k++) {
    sum += weights[k] * src[row + taps[k]];
  }
  if (params.clip != 0u) {
    sum = clamp(sum, params.lo, params.hi);
  }
  dst[i] = sum;
}

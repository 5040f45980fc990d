// Point-wise kernels on a float32 plane of `count` pixels (2-D dispatch of 256-wide workgroups).
//   threshold_mask:   where(x > t, x, 0)   (ops mask)
//   threshold_binary: where(x > t, 1, 0)   (ops mask-binary)
// `threshold` is the largest float32 at or below the float64 threshold t, so `x > threshold`
// equals the float64 test `x > t` for every float32 x (see src/gpu/programs/pointwise.ts).
//   normalise:        x * (255 / max), all zeros when max is 0 (magnitudes)
//   fourier_scale:    x * row_factor[y] * column_factor[x]   (ndimage.fourier_gaussian)

struct PointwiseParams {
  count: u32,
  width: u32,
  threshold: f32,
  _pad0: u32,
}

@group(0) @binding(0) var<uniform> params: PointwiseParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(256)
fn threshold_mask(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i < params.count) {
    let x = src[i];
    dst[i] = select(0.0, x, x > params.threshold);
  }
}

@compute @workgroup_size(256)
fn threshold_binary(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i < params.count) {
    dst[i] = select(0.0, 1.0, src[i] > params.threshold);
  }
}

// The maximum as written by correlate.wgsl's reduction: the bits of a non-negative float32.
@group(0) @binding(3) var<storage, read> max_bits: array<u32>;

@compute @workgroup_size(256)
fn normalise(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  let m = bitcast<f32>(max_bits[0]);
  if (i < params.count) {
    dst[i] = select(0.0, src[i] * (255.0 / m), m > 0.0);
  }
}

// Per-axis factors computed on the host in float64: `height` row factors then `width` column factors.
@group(0) @binding(4) var<storage, read> factors: array<f32>;

@compute @workgroup_size(256)
fn fourier_scale(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i < params.count) {
    let y = i / params.width;
    let x = i % params.width;
    let height = params.count / params.width;
    dst[i] = src[i] * factors[y] * factors[height + x];
  }
}

// One 1-D correlation pass (scipy.ndimage.correlate1d) along rows (axis 1, x) or columns
// (axis 0, y) of a float32 plane, with an optional fused epilogue:
//   EPILOGUE_STORE: out = r
//   EPILOGUE_ADD:   out = acc + r                 (gaussian_laplace, laplace: the sum over axes)
//   EPILOGUE_HYPOT: out = sqrt(acc^2 + r^2)       (gradient magnitudes)
// and, when reduce_max is set, the maximum of the non-negative outputs folded into max_bits.
//
// Entry points: correlate_rows / correlate_cols stage a tile plus its halo in workgroup memory
// (radius up to ROW_HALO_MAX / COL_HALO_MAX); correlate_global reads global memory directly, takes
// any radius and has no barrier. SwiftShader runs every workgroup barrier as a coroutine switch of
// each invocation, which made the tiled kernels 5 to 30 times slower there than correlate_global,
// so the engine uses tiles on hardware adapters only; for the same reason the max reduction needs
// no barrier: an invocation reads the running maximum and calls atomicMax only when it beats it,
// so after the first few workgroups almost no atomics are issued.

const EPILOGUE_STORE: u32 = 0u;
const EPILOGUE_ADD: u32 = 1u;
const EPILOGUE_HYPOT: u32 = 2u;

struct CorrelateParams {
  width: u32,
  height: u32,
  radius: u32,
  mode: u32,
  cval: f32,
  weight_offset: u32, // first of the 2*radius+1 weights in `weights`
  epilogue: u32,
  reduce_max: u32,
  axis: u32,          // correlate_global only: 0 = columns (y), 1 = rows (x)
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: CorrelateParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> weights: array<f32>;
@group(0) @binding(3) var<storage, read> acc: array<f32>;
@group(0) @binding(4) var<storage, read_write> dst: array<f32>;
@group(0) @binding(5) var<storage, read_write> max_bits: atomic<u32>;

fn finish(index: u32, r: f32) -> f32 {
  switch params.epilogue {
    case EPILOGUE_ADD: {
      return acc[index] + r;
    }
    case EPILOGUE_HYPOT: {
      let a = acc[index];
      return sqrt(a * a + r * r);
    }
    default: {
      return r;
    }
  }
}

// Pixel (x, y) with the boundary rule applied along the pass axis only.
fn sample_along(along: i32, across: u32, axis: u32) -> f32 {
  if (axis == 1u) {
    let x = boundary_index(along, i32(params.width), params.mode);
    if (x < 0) {
      return params.cval;
    }
    return src[across * params.width + u32(x)];
  }
  let y = boundary_index(along, i32(params.height), params.mode);
  if (y < 0) {
    return params.cval;
  }
  return src[u32(y) * params.width + across];
}

// Folds max_key(output) into the running maximum (`key` 0: nothing to fold).
fn fold_max(key: u32) {
  if (params.reduce_max != 0u && key != 0u && key > atomicLoad(&max_bits)) {
    atomicMax(&max_bits, key);
  }
}

const ROW_TILE: u32 = 256u;
const ROW_HALO_MAX: u32 = 256u;
var<workgroup> row_tile: array<f32, 768>; // ROW_TILE + 2 * ROW_HALO_MAX

// One workgroup: ROW_TILE consecutive pixels of one row. Dispatch (ceil(width / 256), height).
@compute @workgroup_size(256)
fn correlate_rows(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) lid: u32) {
  let r = params.radius;
  let y = group.y;
  let x0 = group.x * ROW_TILE;
  let span = ROW_TILE + 2u * r;
  for (var k = lid; k < span; k += ROW_TILE) {
    row_tile[k] = sample_along(i32(x0 + k) - i32(r), y, 1u);
  }
  workgroupBarrier();
  let x = x0 + lid;
  var key = 0u;
  if (x < params.width) {
    var sum = 0.0;
    for (var t = 0u; t <= 2u * r; t++) {
      sum += weights[params.weight_offset + t] * row_tile[lid + t];
    }
    let index = y * params.width + x;
    let value = finish(index, sum);
    dst[index] = value;
    key = max_key(value);
  }
  fold_max(key);
}

const COL_TILE_W: u32 = 16u;
const COL_TILE_H: u32 = 64u;     // rows per workgroup: 16 invocations x 4 outputs each
const COL_HALO_MAX: u32 = 64u;
var<workgroup> col_tile: array<f32, 3072>; // COL_TILE_W * (COL_TILE_H + 2 * COL_HALO_MAX)

// One workgroup: a 16-column x 64-row block. Dispatch (ceil(width / 16), ceil(height / 64)).
@compute @workgroup_size(16, 16)
fn correlate_cols(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let r = params.radius;
  let x = group.x * COL_TILE_W + local.x;
  let y0 = group.y * COL_TILE_H;
  let span = COL_TILE_H + 2u * r;
  let inside = x < params.width;
  for (var k = local.y; k < span; k += 16u) {
    var v = 0.0;
    if (inside) {
      v = sample_along(i32(y0 + k) - i32(r), x, 0u);
    }
    col_tile[k * COL_TILE_W + local.x] = v;
  }
  workgroupBarrier();
  var key = 0u;
  for (var j = 0u; j < 4u; j++) {
    let ly = local.y + j * 16u;
    let y = y0 + ly;
    if (inside && y < params.height) {
      var sum = 0.0;
      for (var t = 0u; t <= 2u * r; t++) {
        sum += weights[params.weight_offset + t] * col_tile[(ly + t) * COL_TILE_W + local.x];
      }
      let index = y * params.width + x;
      let value = finish(index, sum);
      dst[index] = value;
      key = max(key, max_key(value));
    }
  }
  fold_max(key);
}

// Any radius, straight from global memory, no barrier. Each invocation computes OUTPUTS_PER_INVOCATION
// consecutive outputs along the pass axis: away from the borders it slides one window of source
// values through registers (one load per tap for all four outputs instead of four); near the borders
// each output applies the boundary rule per tap.
// Dispatch rows (axis 1): (ceil(width / 64), ceil(height / 16)); columns: (ceil(width / 16), ceil(height / 64)).
const OUTPUTS_PER_INVOCATION: u32 = 4u;

@compute @workgroup_size(16, 16)
fn correlate_global(@builtin(global_invocation_id) id: vec3u) {
  let along_rows = params.axis == 1u;
  let x0 = select(id.x, id.x * OUTPUTS_PER_INVOCATION, along_rows);
  let y0 = select(id.y * OUTPUTS_PER_INVOCATION, id.y, along_rows);
  if (x0 >= params.width || y0 >= params.height) {
    return;
  }
  let r = params.radius;
  let first = select(y0, x0, along_rows); // position of the first output along the axis
  let length = select(params.height, params.width, along_rows);
  let stride = select(params.width, 1u, along_rows);
  let across = select(x0, y0, along_rows);
  let base = y0 * params.width + x0;
  var sums = vec4f(0.0);
  if (first >= r && first + OUTPUTS_PER_INVOCATION - 1u + r < length) {
    var source = base - r * stride;
    var window = vec4f(src[source], src[source + stride], src[source + 2u * stride], src[source + 3u * stride]);
    source += 4u * stride;
    for (var t = 0u; t <= 2u * r; t++) {
      sums += weights[params.weight_offset + t] * window;
      if (t < 2u * r) {
        window = vec4f(window.yzw, src[source]);
        source += stride;
      }
    }
  } else {
    for (var k = 0u; k < OUTPUTS_PER_INVOCATION; k++) {
      var sum = 0.0;
      for (var t = 0u; t <= 2u * r; t++) {
        sum += weights[params.weight_offset + t] * sample_along(i32(first + k + t) - i32(r), across, params.axis);
      }
      sums[k] = sum;
    }
  }
  var key = 0u;
  for (var k = 0u; k < OUTPUTS_PER_INVOCATION; k++) {
    if (first + k < length) {
      let index = base + k * stride;
      let value = finish(index, sums[k]);
      dst[index] = value;
      key = max(key, max_key(value));
    }
  }
  fold_max(key);
}

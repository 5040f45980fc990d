// 8-bit readback of a float32 plane, min-max scaled as src/io/image-file.ts `scaleToUint8` does:
// round((v - min) * 255 / (max - min)) over the finite values; a constant plane gives zeros, and
// NaN or infinities give 0. Two kernels: minmax_keys reduces the finite range, pack_u8 writes four
// pixels per u32 word (a quarter of the float32 readback).

struct PackParams {
  count: u32, // pixels
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: PackParams;
@group(0) @binding(1) var<storage, read> plane: array<f32>;
// [0]: order key of the minimum (starts at 0xffffffff), [1]: of the maximum (starts at 0).
@group(0) @binding(2) var<storage, read_write> range_keys: array<atomic<u32>, 2>;

const PIXELS_PER_INVOCATION: u32 = 16u;

fn is_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// Orders all finite floats, negatives included, as unsigned integers.
fn order_key(v: f32) -> u32 {
  let bits = bitcast<u32>(v);
  return select(bits | 0x80000000u, ~bits, (bits & 0x80000000u) != 0u);
}

fn from_order_key(key: u32) -> f32 {
  return bitcast<f32>(select(~key, key & 0x7fffffffu, (key & 0x80000000u) != 0u));
}

@compute @workgroup_size(256)
fn minmax_keys(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let first = linear_index(id, groups, 256u) * PIXELS_PER_INVOCATION;
  var lo = 0xffffffffu;
  var hi = 0u;
  for (var i = first; i < min(first + PIXELS_PER_INVOCATION, params.count); i++) {
    let v = plane[i];
    if (is_finite(v)) {
      let key = order_key(v);
      lo = min(lo, key);
      hi = max(hi, key);
    }
  }
  // Read before writing: once the range settles, most invocations issue no atomic at all.
  if (lo < atomicLoad(&range_keys[0])) {
    atomicMin(&range_keys[0], lo);
  }
  if (hi > atomicLoad(&range_keys[1])) {
    atomicMax(&range_keys[1], hi);
  }
}

@group(0) @binding(3) var<storage, read_write> packed: array<u32>;

@compute @workgroup_size(256)
fn pack_u8(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let word_index = linear_index(id, groups, 256u);
  let first = word_index * 4u;
  if (first >= params.count) {
    return;
  }
  let lo_key = atomicLoad(&range_keys[0]);
  let hi_key = atomicLoad(&range_keys[1]);
  var word = 0u;
  if (lo_key <= hi_key) { // at least one finite value
    let lo = from_order_key(lo_key);
    let span = from_order_key(hi_key) - lo;
    if (span > 0.0) {
      let scale = 255.0 / span;
      for (var k = 0u; k < 4u; k++) {
        if (first + k < params.count) {
          let v = plane[first + k];
          if (is_finite(v)) {
            // Math.round: halves round up.
            let level = u32(clamp(floor((v - lo) * scale + 0.5), 0.0, 255.0));
            word |= level << (8u * k);
          }
        }
      }
    }
  }
  packed[word_index] = word;
}

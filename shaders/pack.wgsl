// Byte readbacks of a float32 plane over its finite range [min, max]:
//   pack_u8:        8 bits, min-max scaled as src/io/image-file.ts `scaleToUint8` does:
//                   round((v - min) * 255 / (max - min)); a constant plane gives zeros, NaN and
//                   infinities give 0. Four pixels per u32 word (a quarter of the float32 readback).
//   colormap_rgba8: RGBA8 through a 256-entry colormap, as src/render/colormap.ts `applyColormap`
//                   (matplotlib's imshow) does: entry trunc((v - min) / (max - min) * 256), at most
//                   255; entry 0 for a constant plane; NaN and infinities transparent black. One
//                   u32 word per pixel.
// Both read the range that minmax_keys reduces once per plane.

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

// pack_u8: four levels per word; colormap_rgba8: one RGBA8 colour per word (R in the low byte).
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

// The colormap: 256 RGBA8 entries, R in the low byte (src/render/colormap.ts `colormapLut`).
@group(0) @binding(4) var<storage, read> lut: array<u32, 256>;

// The table entry of a finite v in [lo, hi]: applyColormap's trunc(((v - lo) / (hi - lo)) * 256),
// in float32. WGSL lets a division be 2.5 ulp off, so the entry is then settled against the
// boundaries k * span / 256 by multiplication, whose rounding cannot cross an integer below 65,536:
// integer-valued outputs with a range below 65,536 (8- and 16-bit images, masks) colour exactly.
// Other values within float32 rounding of a boundary may get the neighbouring entry.
fn colormap_entry(v: f32, lo: f32, hi: f32) -> u32 {
  var offset = v - lo;
  var span = hi - lo;
  if (!(span <= 0x1p126f)) {
    // WGSL's division is accurate only for divisors up to 2^126, and a range wider than the largest
    // float32 overflows: scale both ends down first (exact for normal floats).
    offset = v * 0.0625 - lo * 0.0625;
    span = hi * 0.0625 - lo * 0.0625;
  }
  if (!(span > 0.0)) { // a constant plane (-0.0 and +0.0 alike)
    return 0u;
  }
  // offset >= 0 since lo is the minimum; x == 1 (v == hi) gives 256, which takes the last entry.
  var entry = min(u32((offset / span) * 256.0), 255u);
  let width = span * (1.0 / 256.0); // one entry's width: exact, a power-of-two scaling
  if (entry < 255u && f32(entry + 1u) * width <= offset) {
    entry += 1u;
  } else if (entry > 0u && f32(entry) * width > offset) {
    entry -= 1u;
  }
  return entry;
}

@compute @workgroup_size(256)
fn colormap_rgba8(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i >= params.count) {
    return;
  }
  let v = plane[i];
  var colour = 0u; // NaN and infinities are "bad": transparent black
  if (is_finite(v)) {
    // A finite pixel means the range holds at least one finite value: the keys are in order.
    let lo = from_order_key(atomicLoad(&range_keys[0]));
    let hi = from_order_key(atomicLoad(&range_keys[1]));
    colour = lut[colormap_entry(v, lo, hi)];
  }
  packed[i] = colour;
}

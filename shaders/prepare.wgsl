// prepare's per-image stages after the resize (src/gpu/programs/prepare.ts records them):
//   to_levels:  a float32 plane to 8-bit levels as NumPy casts, np.clip(np.round(x), 0, 255)
//               (WGSL's round() is half to even, as np.round; NaN gives 0), four per u32 word,
//               with the levels' min and max reduced atomically for clahe_bins.
//   clahe_bins: the bin of each of the 256 levels for CLAHE (src/filters/clahe.ts binTable), from
//               that min and max and a host-made table of skimage's float64 rescale (no float64 here).
//   normalise:  none: x; unit: x / 255; xrv: (2 * (x / 255) - 1) * 1024 (torchxrayvision), in float32.

struct PrepareParams {
  count: u32, // pixels
  mode: u32,  // normalise: 0 none, 1 unit, 2 xrv; clahe_bins: bin size, 1 + 16384 / nbins
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: PrepareParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
// to_levels: four levels per word (little-endian, as a Uint8Array reads them).
@group(0) @binding(2) var<storage, read_write> packed: array<u32>;
// [min, max] of the levels; the host starts them at [0xffffffff, 0].
@group(0) @binding(3) var<storage, read_write> level_range: array<atomic<u32>, 2>;

fn level_of(v: f32) -> u32 {
  // Comparisons first: NaN fails both and gives 0, as the cast does on x86.
  if (v >= 255.0) {
    return 255u;
  }
  if (v > 0.0) {
    return u32(round(v));
  }
  return 0u;
}

@compute @workgroup_size(256)
fn to_levels(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let word_index = linear_index(id, groups, 256u);
  let first = word_index * 4u;
  if (first >= params.count) {
    return;
  }
  var word = 0u;
  var lo = 255u;
  var hi = 0u;
  for (var k = 0u; k < 4u; k++) {
    if (first + k < params.count) {
      let level = level_of(src[first + k]);
      word |= level << (8u * k);
      lo = min(lo, level);
      hi = max(hi, level);
    }
  }
  packed[word_index] = word;
  atomicMin(&level_range[0], lo);
  atomicMax(&level_range[1], hi);
}

// rescale[d * 256 + a]: skimage's level round(a / d * 16383) for a level a above the minimum of
// an image whose levels span d (float64 on the host, where ties decide the rounding).
@group(0) @binding(4) var<storage, read> rescale: array<u32>;
@group(0) @binding(5) var<storage, read_write> bin_of: array<u32>;

@compute @workgroup_size(256)
fn clahe_bins(@builtin(local_invocation_index) x: u32) {
  let lo = atomicLoad(&level_range[0]);
  let hi = atomicLoad(&level_range[1]);
  var level: u32;
  if (lo < hi) {
    level = rescale[(hi - lo) * 256u + clamp(x, lo, hi) - lo];
  } else {
    // A constant image: rescale_intensity leaves it, np.clip(x * 257, 0, 16383).
    level = min(x * 257u, 16383u);
  }
  bin_of[x] = level / params.mode;
}

@group(0) @binding(6) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(256)
fn normalise(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i >= params.count) {
    return;
  }
  let v = src[i];
  switch params.mode {
    case 1u: {
      dst[i] = v / 255.0;
    }
    case 2u: {
      dst[i] = (2.0 * (v / 255.0) - 1.0) * 1024.0;
    }
    default: {
      dst[i] = v;
    }
  }
}

// CLAHE as skimage 0.19's equalize_adapthist on an 8-bit image (src/filters/clahe.ts has the steps):
//   clahe_tiles:   one workgroup per tile: histogram of its pixels' bins with workgroup atomics
//                  (rows and columns past the image mirrored), then invocation 0 clips it with
//                  skimage's redistribution loop and writes the mapped cumulative histogram.
//   clahe_blend:   per pixel, the four surrounding tiles' maps blended bilinearly in float32 and
//                  truncated to an integer level; the image's min and max level reduced atomically.
//   clahe_rescale: round(255 * (level - min) / (max - min)) as float32 (round() is half to even,
//                  as np.round); a constant result becomes 255 (0 if it is all zeros), as skimage.

struct ClaheParams {
  width: u32,
  height: u32,
  // Tile size, rows then columns.
  k0: u32,
  k1: u32,
  tiles_x: u32,
  tiles_y: u32,
  nbins: u32,
  clip_count: u32,
  tile_pixels: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

// Workgroup histogram: 4096 bins fill the 16 KiB of workgroup memory every device offers.
const MAX_BINS: u32 = 4096u;
const GRAY_MAX: f32 = 16383.0;

@group(0) @binding(0) var<uniform> params: ClaheParams;
// 8-bit pixels, four per word (little-endian).
@group(0) @binding(1) var<storage, read> pixels: array<u32>;
// Bin of each 8-bit level (256 entries, from the image's min and max).
@group(0) @binding(2) var<storage, read> bin_of: array<u32>;
// Mapped histograms, tiles_y * tiles_x * nbins.
@group(0) @binding(3) var<storage, read_write> maps: array<u32>;
// Per-pixel integer level of the blend.
@group(0) @binding(4) var<storage, read_write> levels: array<u32>;
// [min, max] of the levels; the host starts them at [0xffffffff, 0].
@group(0) @binding(5) var<storage, read_write> level_range: array<atomic<u32>, 2>;
@group(0) @binding(6) var<storage, read_write> dst: array<f32>;

var<workgroup> hist: array<atomic<u32>, MAX_BINS>;

fn mirror(i: i32, n: i32) -> i32 {
  return boundary_index(i, n, MODE_MIRROR);
}

fn pixel_bin(index: u32) -> u32 {
  let level = (pixels[index >> 2u] >> ((index & 3u) * 8u)) & 255u;
  return bin_of[level];
}

@compute @workgroup_size(256)
fn clahe_tiles(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) lid: u32) {
  let tx = group.x;
  let ty = group.y;
  let nbins = params.nbins;
  for (var b = lid; b < nbins; b += 256u) {
    atomicStore(&hist[b], 0u);
  }
  workgroupBarrier();
  let width = i32(params.width);
  let height = i32(params.height);
  for (var p = lid; p < params.tile_pixels; p += 256u) {
    let y = mirror(i32(ty * params.k0 + p / params.k1), height);
    let x = mirror(i32(tx * params.k1 + p % params.k1), width);
    atomicAdd(&hist[pixel_bin(u32(y * width + x))], 1u);
  }
  workgroupBarrier();
  if (lid != 0u) {
    return;
  }
  // clip_histogram, step for step (see clipHistogram in src/filters/clahe.ts).
  let clip = i32(params.clip_count);
  let n = i32(nbins);
  var excess = 0;
  for (var i = 0; i < n; i++) {
    let h = i32(atomicLoad(&hist[i]));
    if (h > clip) {
      excess += h - clip;
      atomicStore(&hist[i], u32(clip));
    }
  }
  let increment = excess / n;
  let upper = clip - increment;
  for (var i = 0; i < n; i++) {
    let h = i32(atomicLoad(&hist[i]));
    if (h < upper) {
      atomicStore(&hist[i], u32(h + increment));
      excess -= increment;
    }
  }
  for (var i = 0; i < n; i++) {
    let h = i32(atomicLoad(&hist[i]));
    if (h >= upper && h < clip) {
      excess += h - clip;
      atomicStore(&hist[i], u32(clip));
    }
  }
  var under = 0;
  for (var i = 0; i < n; i++) {
    if (i32(atomicLoad(&hist[i])) < clip) {
      under++;
    }
  }
  while (excess > 0) {
    let before = excess;
    for (var index = 0; index < n; index++) {
      let step = max(1, under / excess);
      for (var i = index; i < n; i += step) {
        let h = i32(atomicLoad(&hist[i]));
        if (h < clip) {
          atomicStore(&hist[i], u32(h + 1));
          excess -= 1;
          if (h + 1 == clip) {
            under--;
          }
        }
      }
      if (excess <= 0) {
        break;
      }
    }
    if (before == excess) {
      break;
    }
  }
  // map_histogram: floor(min(cumsum * (16383 / tile_pixels), 16383)).
  let scale = GRAY_MAX / f32(params.tile_pixels);
  let base = (ty * params.tiles_x + tx) * nbins;
  var sum = 0u;
  for (var i = 0u; i < nbins; i++) {
    sum += atomicLoad(&hist[i]);
    maps[base + i] = u32(min(f32(sum) * scale, GRAY_MAX));
  }
}

@compute @workgroup_size(256)
fn clahe_blend(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i >= params.width * params.height) {
    return;
  }
  let y = i / params.width;
  let x = i % params.width;
  let bin = pixel_bin(i);
  // Pixel (y, x) is padded (y + k0 / 2, x + k1 / 2): block b, offset u; its tiles are b - 1 and b, clamped.
  let py = y + params.k0 / 2u;
  let px = x + params.k1 / 2u;
  let by = py / params.k0;
  let bx = px / params.k1;
  let row = f32(py - by * params.k0) / f32(params.k0);
  let col = f32(px - bx * params.k1) / f32(params.k1);
  let top = (min(max(by, 1u) - 1u, params.tiles_y - 1u) * params.tiles_x) * params.nbins;
  let bottom = (min(by, params.tiles_y - 1u) * params.tiles_x) * params.nbins;
  let left = min(max(bx, 1u) - 1u, params.tiles_x - 1u) * params.nbins;
  let right = min(bx, params.tiles_x - 1u) * params.nbins;
  // skimage's order: (top, left), (top, right), (bottom, left), (bottom, right), each map times
  // column factor times row factor, summed in float32.
  let m00 = maps[top + left + bin];
  let m01 = maps[top + right + bin];
  let m10 = maps[bottom + left + bin];
  let m11 = maps[bottom + right + bin];
  var sum = f32(m00) * ((1.0 - col) * (1.0 - row));
  sum += f32(m01) * (col * (1.0 - row));
  sum += f32(m10) * ((1.0 - col) * row);
  sum += f32(m11) * (col * row);
  // Four equal maps blend to that map: skimage's float64 weights sum to 1 closely enough that it
  // (almost always) gets it back, where float32 weights may truncate one lower. That matters for
  // flat images, whose whole range is a level or two.
  let level = select(u32(sum), m00, m00 == m01 && m01 == m10 && m10 == m11);
  levels[i] = level;
  atomicMin(&level_range[0], level);
  atomicMax(&level_range[1], level);
}

@compute @workgroup_size(256)
fn clahe_rescale(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = linear_index(id, groups, 256u);
  if (i >= params.width * params.height) {
    return;
  }
  let lo = atomicLoad(&level_range[0]);
  let hi = atomicLoad(&level_range[1]);
  if (lo == hi) {
    dst[i] = select(0.0, 255.0, lo > 0u);
  } else {
    dst[i] = round(255.0 * (f32(levels[i] - lo) / f32(hi - lo)));
  }
}

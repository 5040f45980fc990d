// Canny double threshold and hysteresis on a per-pixel state: 0 none, 1 weak (a local maximum with
// magnitude >= low), 2 strong (>= high, or weak and 8-connected to a strong pixel through weak ones).
//
//   classify:    maxima -> state.
//   promote:     one pass of "weak pixels next to a strong one become strong". A 32x32 tile plus a
//                1-pixel halo is staged in workgroup memory and promoted to convergence there, so a
//                chain crosses a whole tile per pass; a pass that changes anything sets
//                changed[pass_index]. The host runs several passes per submit and stops once a pass
//                changes nothing (then the state is a fixed point: nothing was written during it);
//                the passes after that one in the same submit see its clear flag and return at once.
//   pack_edges:  state == strong as bytes 0/1, four per u32 word, for a 1-byte-per-pixel readback.
//
// Other workgroups may promote pixels of this tile's halo during the same pass; state is atomic so
// such reads see either value, and promotion only ever goes 1 -> 2, so a missed update is caught by
// the next pass.

const NONE: u32 = 0u;
const WEAK: u32 = 1u;
const STRONG: u32 = 2u;

struct HysteresisParams {
  width: u32,
  height: u32,
  low: f32,        // smallest float32 >= the float64 threshold, so `v >= low` equals the float64 test
  high: f32,
  pass_index: u32, // which changed[] flag a promote pass sets
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: HysteresisParams;
@group(0) @binding(1) var<storage, read> maxima: array<f32>;
@group(0) @binding(2) var<storage, read_write> state: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> changed: array<atomic<u32>>;
@group(0) @binding(4) var<storage, read_write> packed: array<u32>;

@compute @workgroup_size(16, 16)
fn classify(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= params.width || id.y >= params.height) {
    return;
  }
  let index = id.y * params.width + id.x;
  let v = maxima[index];
  var s = NONE;
  if (v > 0.0 && v >= params.low) {
    s = select(WEAK, STRONG, v >= params.high);
  }
  atomicStore(&state[index], s);
}

const TILE: u32 = 32u;
const SPAN: u32 = 34u; // TILE + a 1-pixel halo on each side
const ROWS_PER_INVOCATION: u32 = 4u; // 32 x 8 invocations cover 32 x 32 pixels
var<workgroup> tile: array<u32, 1156>; // SPAN * SPAN
var<workgroup> promotions: atomic<u32>;
var<workgroup> promotions_this_round: u32;
var<workgroup> previous_pass_changed: u32;

fn has_strong_neighbour(t: u32) -> bool {
  return tile[t - SPAN - 1u] == STRONG || tile[t - SPAN] == STRONG || tile[t - SPAN + 1u] == STRONG ||
         tile[t - 1u] == STRONG || tile[t + 1u] == STRONG ||
         tile[t + SPAN - 1u] == STRONG || tile[t + SPAN] == STRONG || tile[t + SPAN + 1u] == STRONG;
}

// Dispatch (ceil(width / 32), ceil(height / 32)).
@compute @workgroup_size(32, 8)
fn promote(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u, @builtin(local_invocation_index) lid: u32) {
  // Once a pass has changed nothing the state is final: the passes recorded after it in the same
  // submit return at once, so recording many passes per submit costs little.
  if (lid == 0u) {
    previous_pass_changed = 1u;
    if (params.pass_index > 0u) {
      previous_pass_changed = atomicLoad(&changed[params.pass_index - 1u]);
    }
  }
  if (workgroupUniformLoad(&previous_pass_changed) == 0u) {
    return;
  }
  let x0 = i32(group.x * TILE) - 1;
  let y0 = i32(group.y * TILE) - 1;
  for (var k = lid; k < SPAN * SPAN; k += 256u) {
    let x = x0 + i32(k % SPAN);
    let y = y0 + i32(k / SPAN);
    var s = NONE;
    if (x >= 0 && y >= 0 && x < i32(params.width) && y < i32(params.height)) {
      s = atomicLoad(&state[u32(y) * params.width + u32(x)]);
    }
    tile[k] = s;
  }
  if (lid == 0u) {
    atomicStore(&promotions, 0u);
  }
  workgroupBarrier();

  var promoted_mask = 0u; // which of this invocation's pixels it promoted, over all rounds
  var total = 0u;         // promotions in the workgroup (meaningful in invocation 0)
  loop {
    // Decide every promotion from the same tile state, then apply: no read races a write.
    var promote_mask = 0u;
    for (var k = 0u; k < ROWS_PER_INVOCATION; k++) {
      let t = (local.y + 8u * k + 1u) * SPAN + local.x + 1u;
      if (tile[t] == WEAK && has_strong_neighbour(t)) {
        promote_mask |= 1u << k;
      }
    }
    workgroupBarrier();
    for (var k = 0u; k < ROWS_PER_INVOCATION; k++) {
      if ((promote_mask & (1u << k)) != 0u) {
        tile[(local.y + 8u * k + 1u) * SPAN + local.x + 1u] = STRONG;
      }
    }
    if (promote_mask != 0u) {
      atomicAdd(&promotions, countOneBits(promote_mask));
      promoted_mask |= promote_mask;
    }
    workgroupBarrier();
    if (lid == 0u) {
      promotions_this_round = atomicExchange(&promotions, 0u);
      total += promotions_this_round;
    }
    if (workgroupUniformLoad(&promotions_this_round) == 0u) {
      break;
    }
  }

  for (var k = 0u; k < ROWS_PER_INVOCATION; k++) {
    if ((promoted_mask & (1u << k)) != 0u) {
      let x = group.x * TILE + local.x;
      let y = group.y * TILE + local.y + 8u * k;
      atomicStore(&state[y * params.width + x], STRONG);
    }
  }
  if (lid == 0u && total != 0u) {
    atomicOr(&changed[params.pass_index], 1u);
  }
}

// Dispatch a 1-D grid of ceil(width * height / 4) invocations (folded with linear_index).
@compute @workgroup_size(256)
fn pack_edges(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let word = linear_index(id, groups, 256u);
  let count = params.width * params.height;
  let first = word * 4u;
  if (first >= count) {
    return;
  }
  var bytes = 0u;
  for (var k = 0u; k < 4u; k++) {
    if (first + k < count && atomicLoad(&state[first + k]) == STRONG) {
      bytes |= 1u << (8u * k);
    }
  }
  packed[word] = bytes;
}

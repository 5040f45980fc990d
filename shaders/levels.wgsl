// Counts of each pixel level of an 8-bit or 16-bit image, read from the packed upload (4 or 2
// pixels per u32). The host folds level counts into histogram bins and statistics with the exact
// float64 rules of NumPy, so nothing here depends on float rounding.

struct LevelParams {
  count: u32, // pixels
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: LevelParams;
@group(0) @binding(1) var<storage, read> packed: array<u32>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;

const WORDS_PER_INVOCATION: u32 = 16u;
var<workgroup> local_counts: array<atomic<u32>, 256>;

// 8-bit: per-workgroup counts in workgroup memory, merged once per workgroup.
@compute @workgroup_size(256)
fn levels_u8(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u,
             @builtin(local_invocation_index) lid: u32) {
  atomicStore(&local_counts[lid], 0u);
  workgroupBarrier();
  let words = (params.count + 3u) / 4u;
  let first_word = linear_index(id, groups, 256u) * WORDS_PER_INVOCATION;
  for (var w = first_word; w < min(first_word + WORDS_PER_INVOCATION, words); w++) {
    let word = packed[w];
    for (var k = 0u; k < 4u; k++) {
      if (w * 4u + k < params.count) {
        atomicAdd(&local_counts[(word >> (8u * k)) & 0xffu], 1u);
      }
    }
  }
  workgroupBarrier();
  let n = atomicLoad(&local_counts[lid]);
  if (n != 0u) {
    atomicAdd(&counts[lid], n);
  }
}

// 16-bit: 65,536 levels do not fit workgroup memory; global atomics.
@compute @workgroup_size(256)
fn levels_u16(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let words = (params.count + 1u) / 2u;
  let first_word = linear_index(id, groups, 256u) * WORDS_PER_INVOCATION;
  for (var w = first_word; w < min(first_word + WORDS_PER_INVOCATION, words); w++) {
    let word = packed[w];
    atomicAdd(&counts[word & 0xffffu], 1u);
    if (w * 2u + 1u < params.count) {
      atomicAdd(&counts[word >> 16u], 1u);
    }
  }
}

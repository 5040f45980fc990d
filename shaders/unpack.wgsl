// Unpacks 8-bit and 16-bit pixels, uploaded packed into u32 words (4 or 2 per word, little-endian
// as the host's Uint8Array/Uint16Array lay them out), into a float32 plane.

struct UnpackParams {
  count: u32, // pixels
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: UnpackParams;
@group(0) @binding(1) var<storage, read> packed: array<u32>;
@group(0) @binding(2) var<storage, read_write> plane: array<f32>;

@compute @workgroup_size(256)
fn unpack_u8(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let word_index = linear_index(id, groups, 256u);
  let first = word_index * 4u;
  if (first >= params.count) {
    return;
  }
  let word = packed[word_index];
  for (var k = 0u; k < 4u; k++) {
    if (first + k < params.count) {
      plane[first + k] = f32((word >> (8u * k)) & 0xffu);
    }
  }
}

@compute @workgroup_size(256)
fn unpack_u16(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let word_index = linear_index(id, groups, 256u);
  let first = word_index * 2u;
  if (first >= params.count) {
    return;
  }
  let word = packed[word_index];
  plane[first] = f32(word & 0xffffu);
  if (first + 1u < params.count) {
    plane[first + 1u] = f32(word >> 16u);
  }
}

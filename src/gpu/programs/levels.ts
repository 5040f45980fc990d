/**
 * Program `levels` (shaders/levels.wgsl): how many pixels have each level of an 8-bit (256) or
 * 16-bit (65,536) image, counted from the packed upload.
 */
import { linearGrid, type Recording } from '../recording.js';

/** Invocations each handle this many packed words (WORDS_PER_INVOCATION in the shader). */
const WORDS_PER_INVOCATION = 16;

/** Records the level count of `count` pixels packed in `packed`; returns the counts buffer (u32 per level). */
export function recordLevels(rec: Recording, packed: GPUBuffer, count: number, bitsPerPixel: 8 | 16, what: string): GPUBuffer {
  const levels = bitsPerPixel === 8 ? 256 : 65536;
  const counts = rec.zeros(levels * 4, `${what} level counts`);
  const uniform = rec.uniform(new Uint32Array([count, 0, 0, 0]).buffer, `${what} levels params`);
  const words = Math.ceil(count / (bitsPerPixel === 8 ? 4 : 2));
  rec.dispatch('levels', bitsPerPixel === 8 ? 'levels_u8' : 'levels_u16', [uniform, packed, counts],
    linearGrid(Math.ceil(words / WORDS_PER_INVOCATION), rec.maxWorkgroupsPerDimension), what);
  return counts;
}

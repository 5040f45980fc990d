// PLACEHOLDER created by the lead; the GPU-engine helper replaces it.
/** Dawn's WebGPU entry point for Node, finding SwiftShader's ICD when VK_ICD_FILENAMES is unset. */
export function nodeGpu(): GPU {
  throw new Error('not implemented yet');
}

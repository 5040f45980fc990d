/** `xray-gpu info [--json]`: the WebGPU adapter this machine offers (identity, backend, limits, features). */
import type { Command } from 'commander';
import { describeGpu } from '../gpu/info.js';
import { nodeGpu, nodeGpuBackend, releaseNodeGpu } from '../platform/node-gpu.js';

export function registerInfoCommand(program: Command): void {
  program
    .command('info')
    .description('describe the WebGPU adapter: vendor, architecture, backend, SwiftShader or not, limits, features')
    .option('--json', 'print one JSON object instead of text')
    .action(async (options: { json?: boolean }) => runInfo(options));
}

async function runInfo(options: { json?: boolean }): Promise<void> {
  try {
    const gpu = await describeGpu(nodeGpu(), { backendHint: nodeGpuBackend() });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(gpu)}\n`);
      return;
    }
    const kind = gpu.isSwiftShader
      ? 'SwiftShader: a CPU emulation of Vulkan (correct, but slower than the cpu engine)'
      : gpu.isSoftware
        ? 'a software adapter (CPU emulation)'
        : 'hardware';
    const lines = [
      `adapter       ${gpu.summary}`,
      `vendor        ${gpu.vendor || '(not reported)'}`,
      `architecture  ${gpu.architecture || '(not reported)'}`,
      `device        ${gpu.device || '(not reported)'}`,
      `description   ${gpu.description || '(not reported)'}`,
      `backend       ${gpu.backend}`,
      `kind          ${kind}`,
      `features      ${gpu.features.join(', ') || '(none)'}`,
      'limits',
      ...Object.entries(gpu.limits)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `  ${key.padEnd(42)} ${value}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    releaseNodeGpu();
  }
}

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import type { GpuTimings } from '../../src/gpu/engine.js';
import type { Image2D } from '../../src/image.js';
import { type BenchEnvironment, type PeerHandle, type TimedEngine, runBenchmark } from '../../src/bench/harness.js';
import { syntheticInputs } from '../../src/bench/inputs.js';
import type { PeerTimeRequest } from '../../src/bench/peers.js';
import type { AdapterDescription, BenchConfig } from '../../src/bench/results.js';
import { benchCommand } from '../../src/cli/bench.js';

const ADAPTER: AdapterDescription = {
  summary: 'test adapter',
  vendor: 'test',
  architecture: '',
  device: '',
  description: '',
  backend: 'vulkan',
  isSwiftShader: false,
  isSoftware: false,
  timestamps: true,
};

/** A GPU engine stand-in: records calls, reports `kernelMs` per run and grows its pool per new size. */
class FakeGpuEngine implements TimedEngine {
  readonly name = 'gpu' as const;
  readonly description = 'fake gpu';
  lastTimings: GpuTimings | null = null;
  readonly calls: string[] = [];
  private bytes = 0;
  private created = 0;
  private readonly sizes = new Set<number>();

  async run(image: Image2D, requests: readonly { op: string }[]) {
    return (await this.runBatch([image], requests))[0];
  }
  async runBatch(images: readonly Image2D[], requests: readonly { op: string }[]) {
    const { width, height } = images[0];
    this.calls.push(`${requests.map((r) => r.op).join('+')}@${width}x${images.length}`);
    if (!this.sizes.has(width * images.length)) {
      this.sizes.add(width * images.length);
      this.bytes += width * height * 4 * 3 * images.length; // three planes per image
      this.created += 3 * images.length;
    }
    this.lastTimings = { uploadMs: 0, kernelMs: 0.5, readbackMs: 0, totalMs: 1 };
    return images.map(() => requests.map(() => ({ width, height, data: new Float32Array(width * height) })));
  }
  async histogram() {
    return new Uint32Array(256);
  }
  async stats() {
    return { min: 0, max: 0, mean: 0, median: 0 };
  }
  async dispose() {}
  poolStats() {
    return { bytesInUse: 0, bytesFree: this.bytes, created: this.created };
  }
}

/** A peer stand-in: 2 ms per run of anything but `unsupportedOp`. */
function fakePeer(unsupportedOp: string): PeerHandle & { requests: PeerTimeRequest[] } {
  const requests: PeerTimeRequest[] = [];
  return {
    requests,
    async time(request) {
      requests.push(request);
      if (request.ops.some((op) => op.op === unsupportedOp)) return { ok: false, unsupported: true, error: `no ${unsupportedOp}` };
      return { ok: true, timesMs: Array.from({ length: request.repeat }, () => 2) };
    },
    async close() {},
  };
}

function config(overrides: Partial<BenchConfig> = {}): BenchConfig {
  return {
    engines: ['cpu', 'gpu'],
    peers: ['scipy'],
    sizes: [64],
    ops: ['gaussian', 'histogram', 'pipeline'],
    repeat: 2,
    warmup: 1,
    budgetS: 60,
    minRuns: 1,
    throughputImages: 2,
    throughputSize: 64,
    timeLimitS: Infinity,
    quick: false,
    ...overrides,
  };
}

describe('runBenchmark with stand-in engines and peers', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'xray-bench-test-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  function environment(gpu: FakeGpuEngine | Error, peer = fakePeer('histogram')): BenchEnvironment {
    return {
      log: () => {},
      createCpuEngine,
      createGpuEngine: async () => {
        if (gpu instanceof Error) throw gpu;
        return { engine: gpu, adapter: ADAPTER, release: async () => {} };
      },
      startPeer: async () => ({ peer, info: { peer: 'scipy', version: '0', numpy: '0', python: '3', threads: 1, dtype: 'float64', ops: [], notes: {} } }),
      workDir,
    };
  }

  it('fills every column of every case, in catalogue order, with the runs asked for', async () => {
    const results = await runBenchmark(config(), syntheticInputs(), environment(new FakeGpuEngine()));
    expect(results.cases.map((c) => c.op)).toEqual(['gaussian', 'histogram', 'pipeline']);
    const gaussian = results.cases[0].columns;
    expect(Object.keys(gaussian).sort()).toEqual(['cpu', 'gpu', 'gpu-kernels', 'scipy']);
    for (const column of ['cpu', 'gpu', 'gpu-kernels', 'scipy'] as const) expect(gaussian[column]).toMatchObject({ status: 'ok', n: 2 });
    expect(gaussian['gpu-kernels']).toMatchObject({ medianMs: 0.5 });
  });

  it('runs the pipeline first at each size and records the pool growth it caused', async () => {
    const gpu = new FakeGpuEngine();
    const results = await runBenchmark(config(), syntheticInputs(), environment(gpu));
    expect(gpu.calls[0]).toMatch(/^gaussian-laplace\+.*@64x1$/);
    expect(results.memory[0]).toEqual({ size: 64, images: 1, bytesHeld: 64 * 64 * 4 * 3, planeBytes: 64 * 64 * 4, buffersCreated: 3 });
  });

  it('says why a column has no number: the histogram has no kernel time, a peer lacks an op', async () => {
    const results = await runBenchmark(config(), syntheticInputs(), environment(new FakeGpuEngine()));
    const histogram = results.cases[1].columns;
    expect(histogram['gpu-kernels']).toMatchObject({ status: 'unsupported', reason: expect.stringContaining('histogram') });
    expect(histogram.scipy).toEqual({ status: 'unsupported', reason: 'no histogram' });
  });

  it('hands the peers the same requests the engines ran, on a .npy of the same image', async () => {
    const peer = fakePeer('none');
    await runBenchmark(config({ ops: ['gaussian'] }), syntheticInputs(), environment(new FakeGpuEngine(), peer));
    expect(peer.requests[0]).toMatchObject({ input: join(workDir, 'input-64.npy'), ops: [{ op: 'gaussian', sigma: 2 }], warmup: 1, repeat: 2 });
  });

  it('carries on without the GPU when no adapter is found, saying why in each GPU cell and in the notes', async () => {
    const results = await runBenchmark(config({ ops: ['gaussian'] }), syntheticInputs(), environment(new Error('no WebGPU adapter available')));
    expect(results.cases[0].columns.gpu).toEqual({ status: 'failed', reason: 'no GPU engine: no WebGPU adapter available' });
    expect(results.cases[0].columns.cpu).toMatchObject({ status: 'ok' });
    expect(results.notes).toContain('gpu: no GPU engine: no WebGPU adapter available');
  });

  it('measures throughput with all images in one call and with one call per image', async () => {
    const results = await runBenchmark(config(), syntheticInputs(), environment(new FakeGpuEngine()));
    expect(results.throughput.map((t) => `${t.engine} ${t.mode} ${t.images}`)).toEqual(['gpu runBatch 2', 'gpu run 2', 'cpu runBatch 2']);
    for (const t of results.throughput) expect(t.imagesPerSecond).toBeGreaterThan(0);
  });

  it('skips the cells left when the time limit has passed', async () => {
    let clock = 0;
    const env = { ...environment(new FakeGpuEngine()), now: () => (clock += 1000) };
    const results = await runBenchmark(config({ timeLimitS: 2.5 }), syntheticInputs(), env);
    const statuses = results.cases.flatMap((c) => Object.values(c.columns).map((m) => m.status));
    expect(statuses).toContain('skipped');
    expect(results.cases.at(-1)!.columns.scipy).toEqual({ status: 'skipped', reason: 'time limit of 2.5 s reached' });
  });
});

describe('xray-gpu bench --quick (smoke run: CPU engine, 64x64, no peers)', () => {
  it('writes results.json, results.md and chart.png, and prints the table', async () => {
    const out = await mkdtemp(join(tmpdir(), 'xray-bench-smoke-'));
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
    const log = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const args = ['--quick', '--sizes', '64', '--engines', 'cpu', '--no-peers', '--throughput-size', '64', '--out', out];
      await benchCommand().parseAsync(args, { from: 'user' });
    } finally {
      write.mockRestore();
      log.mockRestore();
    }
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.config).toMatchObject({ quick: true, sizes: [64], engines: ['cpu'], peers: [], repeat: 3 });
    expect(results.cases.map((c: { op: string }) => c.op)).toEqual(['gaussian', 'sobel-magnitude', 'tutorial-canny', 'mask', 'pipeline']);
    for (const c of results.cases) expect(c.columns.cpu).toMatchObject({ status: 'ok' });
    expect(results.machine).toMatchObject({ cores: expect.any(Number), node: process.version, adapter: null });
    const markdown = await readFile(join(out, 'results.md'), 'utf8');
    expect(printed.join('')).toBe(markdown);
    expect(markdown).toContain('| pipeline | 64² |');
    const png = await readFile(join(out, 'chart.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    await rm(out, { recursive: true, force: true });
  });

  it('refuses measuring options with --from-json, and unknown ops naming the known ones', async () => {
    const command = benchCommand().exitOverride().configureOutput({ writeErr: () => {} });
    await expect(command.parseAsync(['--from-json', 'x.json', '--sizes', '64'], { from: 'user' })).rejects.toThrow('--from-json measures nothing, so it takes no --sizes');
    await expect(benchCommand().exitOverride().configureOutput({ writeErr: () => {} }).parseAsync(['--ops', 'blur'], { from: 'user' })).rejects.toThrow(
      'expected a comma-separated list from gaussian, gaussian-laplace',
    );
  });
});


import { describe, expect, it } from 'vitest';
import { formatCell, formatNumber, formatRatio } from '../../src/bench/format.js';
import { adapterLabel, formatReadmeSection, formatResultsMarkdown, headlineSize, markdownTable, opTable } from '../../src/bench/report.js';
import { type BenchResults, type Measurement, RESULTS_SCHEMA } from '../../src/bench/results.js';
import { summarize } from '../../src/bench/statistics.js';

const ok = (...samplesMs: number[]): Measurement => ({ status: 'ok', samplesMs, ...summarize(samplesMs) });

/** A small results.json as a run of every column would write it. */
function sampleResults(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    schema: RESULTS_SCHEMA,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationS: 12,
    config: {
      engines: ['cpu', 'gpu'],
      peers: ['scipy', 'opencv'],
      sizes: [512, 1024],
      ops: ['gaussian', 'pipeline'],
      repeat: 3,
      warmup: 1,
      budgetS: 3,
      minRuns: 1,
      throughputImages: 4,
      throughputSize: 512,
      timeLimitS: 240,
      quick: true,
    },
    inputs: 'synthetic',
    machine: {
      cpuModel: 'Test CPU',
      cores: 2,
      memoryGiB: 8,
      os: 'Linux',
      node: 'v20',
      adapter: {
        summary: 'google swiftshader',
        vendor: 'google',
        architecture: 'swiftshader',
        device: '',
        description: 'SwiftShader driver 5.0.0',
        backend: 'vulkan',
        isSwiftShader: true,
        isSoftware: true,
        timestamps: true,
      },
      peers: {},
    },
    cases: [
      { op: 'gaussian', size: 512, columns: { cpu: ok(8, 10, 12), gpu: ok(4, 5, 6), 'gpu-kernels': ok(1, 1, 1), scipy: ok(20, 20, 20), opencv: { status: 'unsupported', reason: 'no such op' } } },
      { op: 'pipeline', size: 512, columns: { cpu: ok(80), gpu: ok(50, 50), 'gpu-kernels': ok(40, 40), scipy: ok(200, 200, 200), opencv: ok(30, 30, 30) } },
      { op: 'gaussian', size: 1024, columns: { cpu: ok(40, 40, 40), gpu: { status: 'failed', reason: 'device lost' }, 'gpu-kernels': { status: 'failed', reason: 'device lost' }, scipy: ok(80, 80, 80), opencv: ok(8, 8, 8) } },
      { op: 'pipeline', size: 1024, columns: { cpu: ok(320, 320, 320), gpu: ok(100, 100, 100), 'gpu-kernels': ok(90, 90, 90), scipy: ok(800, 800, 800), opencv: ok(120, 120, 120) } },
    ],
    throughput: [{ engine: 'gpu', size: 512, images: 4, mode: 'runBatch', measurement: ok(100, 100, 100), imagesPerSecond: 40 }],
    memory: [{ size: 512, images: 1, bytesHeld: 13 * 512 * 512 * 4, planeBytes: 512 * 512 * 4, buffersCreated: 14 }],
    sections: [],
    notes: ['The GPU columns ran on SwiftShader, a CPU emulation of a GPU.'],
    ...overrides,
  };
}

describe('number formatting', () => {
  it('keeps about three significant digits without exponents', () => {
    expect([0.012345, 1.2345, 12.345, 123.45, 12345.6].map(formatNumber)).toEqual(['0.0123', '1.23', '12.3', '123', '12346']);
  });

  it('formats a cell as median [min–max], adding n when fewer runs than asked were taken', () => {
    expect(formatCell(ok(8, 10, 12), 3)).toBe('10.0 [8.00–12.0]');
    expect(formatCell(ok(8, 12), 3)).toBe('10.0 [8.00–12.0] n=2');
    expect(formatCell(ok(7), 3)).toBe('7.00 n=1');
    expect(formatCell({ status: 'unsupported', reason: 'x' }, 3)).toBe('n/a');
    expect(formatCell({ status: 'skipped', reason: 'x' }, 3)).toBe('skipped');
  });

  it('writes ratios with a times sign and a dash when there is none', () => {
    expect(formatRatio(2.5)).toBe('2.50×');
    expect(formatRatio(undefined)).toBe('–');
  });
});

describe('markdownTable', () => {
  it('right-aligns the columns asked for and escapes pipes inside cells', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']], [false, true])).toEqual(['| a | b |', '| --- | ---: |', '| x\\|y | 1 |']);
  });
});

describe('opTable', () => {
  it('divides the peers’ medians by the engines’ medians in the ratio columns', () => {
    const results = sampleResults();
    const [header, , gaussian512] = opTable(results, results.cases);
    expect(header).toBe(
      '| op | size | CPU engine | GPU end to end | GPU kernels | SciPy | OpenCV | SciPy ÷ GPU | OpenCV ÷ GPU | SciPy ÷ CPU | CPU ÷ GPU |',
    );
    const cells = gaussian512.split(' | ');
    // SciPy 20 / GPU 5 = 4; OpenCV unsupported; SciPy 20 / CPU 10 = 2; CPU 10 / GPU 5 = 2.
    expect(cells.slice(-4)).toEqual(['4.00×', '–', '2.00×', '2.00× |']);
  });

  it('leaves out ratio columns whose two columns were not both run', () => {
    const results = sampleResults();
    results.config.engines = ['cpu'];
    results.config.peers = ['scipy'];
    const [header] = opTable(results, []);
    expect(header).toBe('| op | size | CPU engine | SciPy | SciPy ÷ CPU |');
  });
});

describe('results.md', () => {
  const markdown = formatResultsMarkdown(sampleResults());

  it('labels a SwiftShader adapter as emulation, in the machine lines and the notes', () => {
    expect(adapterLabel(sampleResults())).toContain('CPU emulation of a GPU, not GPU speed');
    expect(markdown).toContain('- GPU: SwiftShader (SwiftShader driver 5.0.0) — CPU emulation of a GPU, not GPU speed');
    expect(markdown).toContain('> The GPU columns ran on SwiftShader');
  });

  it('lists every cell that was not measured, with its reason', () => {
    expect(markdown).toContain('- gaussian 512², OpenCV: unsupported: no such op');
    expect(markdown).toContain('- gaussian 1024², GPU end to end: failed: device lost');
  });

  it('shows the pipeline by size with the time per megapixel', () => {
    // GPU at 1024²: 100 ms over 1.048576 megapixels = 95.4 ms per megapixel.
    expect(markdown).toMatch(/\| 1024² \| 1\.05 \| 320 \(305\) \| 100 \(95\.4\) \|/);
  });

  it('gives the throughput and the pool’s memory in float32 planes', () => {
    expect(markdown).toContain('| GPU engine | runBatch (4 images, one submit) | 512² | 100 [100–100] | 40.0 |');
    expect(markdown).toContain('| 512² | 1 | 13.0 MiB | 13.0 | 14 |');
  });
});

describe('README section', () => {
  it('shows the ops at 1024² when measured, with the machine described', () => {
    const results = sampleResults();
    expect(headlineSize(results)).toBe(1024);
    const section = formatReadmeSection([{ results, title: 'Test machine', resultsPath: 'bench/results/x/results.md', chartPath: 'bench/results/x/chart.png' }]);
    expect(section).toContain('### Test machine');
    expect(section).toContain('- CPU: Test CPU, 2 logical cores, 8 GiB; Linux; Node v20');
    expect(section).toContain('Time per op at 1024×1024');
    expect(section).not.toContain('| gaussian | 512² |');
    expect(section).toContain('![time per op](bench/results/x/chart.png)');
  });

  it('falls back to the largest size when 1024 was not measured', () => {
    expect(headlineSize({ cases: [{ op: 'mask', size: 256, columns: {} }, { op: 'mask', size: 2048, columns: {} }] })).toBe(2048);
  });
});

/**
 * results.md and the README's Performance section, made from results.json alone (so a run made on
 * another machine, such as a lent GPU, is reported the same way).
 */
import { BENCH_OPS } from './cases.js';
import { formatCell, formatMiB, formatNumber, formatRatio, medianOf } from './format.js';
import type { BenchResults, CaseResult, ColumnId, Measurement } from './results.js';
import { COLUMN_TITLES, columnsOf } from './results.js';
import { speedRatio } from './statistics.js';

interface RatioSpec {
  title: string;
  slower: ColumnId;
  faster: ColumnId;
}

/** Peer time over xray-gpu time (above 1: xray-gpu is faster), and the CPU engine over the GPU engine. */
const RATIOS: readonly RatioSpec[] = [
  { title: 'SciPy ÷ GPU', slower: 'scipy', faster: 'gpu' },
  { title: 'OpenCV ÷ GPU', slower: 'opencv', faster: 'gpu' },
  { title: 'SciPy ÷ CPU', slower: 'scipy', faster: 'cpu' },
  { title: 'CPU ÷ GPU', slower: 'cpu', faster: 'gpu' },
];

/** The ratio columns this run can fill (both of their columns were run). */
export function ratioColumns(results: Pick<BenchResults, 'config'>): RatioSpec[] {
  const columns = columnsOf(results.config);
  return RATIOS.filter((r) => columns.includes(r.slower) && columns.includes(r.faster));
}

/** "AMD EPYC, 2 cores, 7.8 GiB; Linux ... x64; Node v20" and the adapter, peers and inputs, as lines. */
export function describeMachine(results: BenchResults): string[] {
  const { machine } = results;
  const simd = machine.cpuSimd === undefined ? '' : machine.cpuSimd ? '; CPU engine with WebAssembly SIMD' : '; CPU engine scalar (no WebAssembly SIMD)';
  const lines = [`CPU: ${machine.cpuModel}, ${machine.cores} logical cores, ${machine.memoryGiB} GiB; ${machine.os}; Node ${machine.node}${simd}`];
  if (machine.adapter) lines.push(`GPU: ${adapterLabel(results)}${machine.adapter.timestamps ? '' : ' (no timestamp queries)'}`);
  else if (results.config.engines.includes('gpu')) lines.push('GPU: none available');
  const peers = Object.entries(machine.peers).map(([name, info]) => {
    if ('unavailable' in info) return `${name} unavailable`;
    const label = name === 'scipy' ? 'SciPy' : 'OpenCV';
    return `${label} ${info.version} (NumPy ${info.numpy}, Python ${info.python}, ${info.dtype}, ${info.threads} thread${info.threads === 1 ? '' : 's'})`;
  });
  if (peers.length > 0) lines.push(`Peers: ${peers.join('; ')}`);
  if (machine.note) lines.push(`Note: ${machine.note}`);
  return lines;
}

/** The adapter in words, saying plainly when it is an emulation. */
export function adapterLabel(results: BenchResults): string {
  const adapter = results.machine.adapter;
  if (!adapter) return 'none';
  if (adapter.isSwiftShader) return `SwiftShader (${adapter.description || adapter.summary}) — CPU emulation of a GPU, not GPU speed`;
  if (adapter.isSoftware) return `${adapter.summary} — software emulation, not GPU speed`;
  return adapter.summary;
}

/** The whole results.md. */
export function formatResultsMarkdown(results: BenchResults): string {
  const { config } = results;
  const out: string[] = ['# xray-gpu benchmark', ''];
  out.push(...describeMachine(results).map((line) => `- ${line}`));
  out.push(`- Inputs: ${results.inputs}`);
  out.push(
    `- Runs: ${config.warmup} warm-up, then ${config.repeat} timed (fewer once ${config.budgetS} s per cell were spent, at least ${config.minRuns}); ` +
      `started ${results.startedAt}, took ${Math.round(results.durationS)} s${config.quick ? ' (--quick)' : ''}`,
  );
  out.push('');
  for (const note of results.notes) out.push(`> ${note}`, '');

  out.push('## Time per op', '');
  out.push('Milliseconds, median [min–max] of the timed runs. Ratios divide medians: above 1 means the second is faster.', '');
  out.push(...opTable(results, results.cases));
  out.push('');
  out.push(...opLegend(results));
  const missing = notMeasured(results);
  if (missing.length > 0) out.push('', 'Not measured:', '', ...missing);

  const scaling = scalingTable(results);
  if (scaling.length > 0) out.push('', '## The whole tutorial pipeline by image size', '', ...scaling);
  const throughput = throughputTable(results);
  if (throughput.length > 0) out.push('', '## Throughput: several images per call', '', ...throughput);
  const memory = memoryTable(results);
  if (memory.length > 0) out.push('', '## GPU memory held by the buffer pool', '', ...memory);
  for (const section of results.sections) out.push('', `## ${section.title}`, '', section.markdown);
  out.push('');
  return out.join('\n');
}

/** The main table: one row per op and size, time columns then ratio columns. */
export function opTable(results: BenchResults, cases: readonly CaseResult[]): string[] {
  const columns = columnsOf(results.config);
  const ratios = ratioColumns(results);
  const header = ['op', 'size', ...columns.map((c) => COLUMN_TITLES[c]), ...ratios.map((r) => r.title)];
  const rows = cases.map((c) => [
    c.op,
    `${c.size}²`,
    ...columns.map((column) => formatCell(c.columns[column], results.config.repeat)),
    ...ratios.map((r) => formatRatio(speedRatio(medianOf(c.columns[r.slower]), medianOf(c.columns[r.faster])))),
  ]);
  return markdownTable(header, rows, [false, true, ...columns.map(() => true), ...ratios.map(() => true)]);
}

function opLegend(results: BenchResults): string[] {
  const ops = new Set(results.cases.map((c) => c.op));
  return BENCH_OPS.filter((op) => ops.has(op.id)).map((op) => `- \`${op.id}\`: ${op.title}`);
}

function notMeasured(results: BenchResults): string[] {
  const lines = new Set<string>();
  for (const c of results.cases) {
    for (const [column, m] of Object.entries(c.columns) as [ColumnId, Measurement][]) {
      if (m.status !== 'ok') lines.add(`- ${c.op} ${c.size}², ${COLUMN_TITLES[column]}: ${m.status}: ${m.reason}`);
    }
  }
  return [...lines];
}

/** The pipeline at each size: median ms, and ms per megapixel in brackets (flat: time grows with pixel count). */
export function scalingTable(results: BenchResults): string[] {
  const cases = results.cases.filter((c) => c.op === 'pipeline');
  if (cases.length === 0) return [];
  const columns = columnsOf(results.config);
  const rows = cases.map((c) => {
    const mpx = (c.size * c.size) / 1e6;
    return [
      `${c.size}²`,
      formatNumber(mpx),
      ...columns.map((column) => {
        const ms = medianOf(c.columns[column]);
        return ms === undefined ? formatCell(c.columns[column], results.config.repeat) : `${formatNumber(ms)} (${formatNumber(ms / mpx)})`;
      }),
    ];
  });
  return [
    'Median ms per image, and in brackets ms per megapixel: a flat bracket means time grows in proportion to pixel count.',
    '',
    ...markdownTable(['size', 'megapixels', ...columns.map((c) => COLUMN_TITLES[c])], rows, [true, true, ...columns.map(() => true)]),
  ];
}

function throughputTable(results: BenchResults): string[] {
  if (results.throughput.length === 0) return [];
  const rows = results.throughput.map((t) => [
    t.engine === 'gpu' ? 'GPU engine' : 'CPU engine',
    t.mode === 'runBatch' ? `runBatch (${t.images} images, ${t.engine === 'gpu' ? 'one submit' : 'one call'})` : `run × ${t.images} (one call per image)`,
    `${t.size}²`,
    formatCell(t.measurement, results.config.repeat),
    t.imagesPerSecond === undefined ? '–' : formatNumber(t.imagesPerSecond),
  ]);
  const size = results.throughput[0].size;
  for (const peer of ['scipy', 'opencv'] as const) {
    const pipeline = results.cases.find((c) => c.op === 'pipeline' && c.size === size)?.columns[peer];
    const ms = medianOf(pipeline);
    if (ms !== undefined) rows.push([COLUMN_TITLES[peer], 'one image at a time', `${size}²`, formatCell(pipeline, results.config.repeat), formatNumber(1000 / ms)]);
  }
  return [
    'The whole tutorial pipeline (six filter stages) on several different images of one size.',
    '',
    ...markdownTable(['engine', 'how', 'size', 'ms per call', 'images/s'], rows, [false, false, true, true, true]),
  ];
}

function memoryTable(results: BenchResults): string[] {
  if (results.memory.length === 0) return [];
  const rows = results.memory.map((m) => [
    `${m.size}²`,
    String(m.images),
    formatMiB(m.bytesHeld),
    formatNumber(m.bytesHeld / m.planeBytes),
    String(m.buffersCreated),
  ]);
  return [
    'Growth of the pool (buffers in use plus buffers kept for reuse) caused by the first tutorial pipeline at each size.',
    '',
    ...markdownTable(['size', 'images', 'held', 'float32 planes', 'buffers created'], rows, [true, true, true, true, true]),
  ];
}

/**
 * The README's Performance section for one or more runs: per run, the machine, the ops at one
 * size, and the pipeline by size. `links` maps a run to its results.md / chart paths for the reader.
 */
export function formatReadmeSection(runs: readonly { results: BenchResults; title: string; resultsPath?: string; chartPath?: string }[]): string {
  const out: string[] = [];
  for (const { results, title, resultsPath, chartPath } of runs) {
    out.push(`### ${title}`, '');
    out.push(...describeMachine(results).map((line) => `- ${line}`));
    out.push(`- Inputs: ${results.inputs}; ${results.config.repeat} timed runs after ${results.config.warmup} warm-up, medians`);
    out.push('');
    for (const note of results.notes) out.push(`> ${note}`, '');
    const size = headlineSize(results);
    if (size !== undefined) {
      out.push(`Time per op at ${size}×${size} (ms, median [min–max]):`, '');
      out.push(...opTable(results, results.cases.filter((c) => c.size === size)), '');
    }
    const scaling = scalingTable(results);
    if (results.cases.filter((c) => c.op === 'pipeline').length > 1) out.push('Whole tutorial pipeline by image size:', '', ...scaling, '');
    const best = results.throughput.filter((t) => t.imagesPerSecond !== undefined);
    if (best.length > 0) {
      out.push(
        `Throughput (${best[0].images} images of ${best[0].size}² through the pipeline): ` +
          best.map((t) => `${t.engine.toUpperCase()} ${t.mode === 'runBatch' ? 'runBatch' : 'one run per image'} ${formatNumber(t.imagesPerSecond!)} images/s`).join(', ') +
          '.',
        '',
      );
    }
    if (chartPath) out.push(`![time per op](${chartPath})`, '');
    if (resultsPath) out.push(`Full results: [${resultsPath}](${resultsPath}).`, '');
  }
  return out.join('\n').trimEnd();
}

/** The size the README shows: 1024 (the ChestX-ray8 size) when measured, else the largest. */
export function headlineSize(results: Pick<BenchResults, 'cases'>): number | undefined {
  const sizes = [...new Set(results.cases.map((c) => c.size))].sort((a, b) => a - b);
  if (sizes.length === 0) return undefined;
  return sizes.includes(1024) ? 1024 : sizes[sizes.length - 1];
}

/** A GitHub-flavoured Markdown table; `right[i]` right-aligns column i. Pipes in cells are escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string[] {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (right[i] ? ' ---: ' : ' --- ')).join('|')}|`, ...rows.map(line)];
}

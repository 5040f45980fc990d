// The batch benchmark: one ChestX-ray8-shaped tree, pushed through `xray-gpu batch` (each engine asked
// for) and two peers that write the same 8-bit PNGs: the NumPy tutorial's SciPy code in a loop
// (bench/peers/tutorial_scipy_batch.py) and the same outputs with OpenCV (bench/peers/opencv_batch.py).
//
//   npm run build
//   node bench/batch/batch-bench.mjs [--copies 4] [--synthetic 12] [--engines cpu,gpu] [--peers scipy,opencv]
//        [--png-level N] [--jobs N] [--repeat R] [--cpus LIST] [--tree DIR] [--work DIR] [--json FILE] [--cli FILE]
//
// --cpus 0,1 pins every tool to those cores (taskset), e.g. to measure a 2-core machine on a bigger one.
//
// $XRAY_SAMPLES: the 9 ChestX-ray8 samples (default ../shared/data/chestxray8-sample); $PYTHON: the
// interpreter with SciPy and OpenCV (default /usr/bin/python3); $XRAY_DIST: the built project (default dist/).
//
// Images/s is wall clock of the whole process (start-up included, the same for every tool), median
// over --repeat rounds (the tools take turns, so a busy neighbour hurts all of them alike). CPU
// seconds per image (user + sys, from /usr/bin/time) are printed too: on a shared machine they say
// what each tool costs regardless of what else runs. After the runs, every tool's PNGs are decoded
// and compared pixel by pixel with xray-gpu's CPU engine output.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { timedRun } from '../timed-run.mjs';
import { compareOutputs } from './compare-outputs.mjs';
import { buildTree } from './make-tree.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = resolve(process.env.XRAY_DIST ?? join(root, 'dist'));
const python = process.env.PYTHON ?? '/usr/bin/python3';
const LABELS = ['gaussian-laplace', 'gaussian-gradient-magnitude', 'sobel-magnitude', 'tutorial-canny', 'mask', 'mask-binary'];

const { values: opts } = parseArgs({
  options: {
    copies: { type: 'string', default: '4' },
    synthetic: { type: 'string', default: '12' },
    engines: { type: 'string', default: 'cpu' },
    peers: { type: 'string', default: 'scipy,opencv' },
    'png-level': { type: 'string' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    repeat: { type: 'string', default: '1' },
    tree: { type: 'string', default: join(tmpdir(), 'xray-batch-bench', 'tree') },
    work: { type: 'string', default: join(tmpdir(), 'xray-batch-bench', 'out') },
    json: { type: 'string', default: join(root, 'bench', 'results', 'local', `batch-${new Date().toISOString().replace(/[:.]/g, '-')}.json`) },
    cli: { type: 'string', default: join(dist, 'src', 'cli', 'main.js') },
    cpus: { type: 'string' },
  },
});
const positiveInteger = (name) => {
  const n = Number(opts[name]);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`--${name} must be an integer >= 0, got ${opts[name]}`);
  return n;
};
const pngLevel = opts['png-level'];
if (pngLevel !== undefined && !/^[0-9]$/.test(pngLevel)) throw new RangeError(`--png-level must be 0..9, got ${pngLevel}`);
const levelArgs = pngLevel === undefined ? [] : ['--png-level', pngLevel];
const samples = process.env.XRAY_SAMPLES ?? join(root, '..', 'shared', 'data', 'chestxray8-sample');

const inputs = await buildTree({ dir: opts.tree, samples, copies: positiveInteger('copies'), synthetic: positiveInteger('synthetic'), dist });
console.log(`tree: ${inputs.length} images in ${opts.tree}; png: ${pngLevel === undefined ? 'run-length deflate (encoder default)' : `zlib level ${pngLevel}`}`);
console.log(
  `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})${opts.cpus === undefined ? '' : `, every tool pinned to CPUs ${opts.cpus}`}, ` +
    `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; xray-gpu --jobs ${opts.jobs}`,
);

const tools = [
  ...opts.engines.split(',').filter(Boolean).map((engine) => ({
    name: `xray-gpu ${engine}`,
    out: join(opts.work, `xray-${engine}`),
    // --ops spelled out: the peers write exactly these six, whatever the batch default becomes.
    command: (out) => [
      process.execPath, opts.cli, 'batch', opts.tree, '--out', out, '--ops', LABELS.join(','), '--engine', engine,
      '--jobs', opts.jobs, '--quiet', '--summary-json', `${out}.summary.json`, ...levelArgs,
    ],
    details: async (out) => JSON.parse(await readFile(`${out}.summary.json`, 'utf8')),
  })),
  ...opts.peers.split(',').filter(Boolean).map((peer) => {
    const script = { scipy: 'tutorial_scipy_batch.py', opencv: 'opencv_batch.py' }[peer];
    if (!script) throw new RangeError(`--peers takes scipy and opencv, got ${peer}`);
    return {
      name: peer === 'scipy' ? 'SciPy tutorial loop' : 'OpenCV loop',
      out: join(opts.work, peer),
      command: (out) => [python, join(root, 'bench', 'peers', script), opts.tree, out, ...levelArgs],
      details: undefined,
    };
  }),
];

const runs = new Map(tools.map((t) => [t.name, []]));
for (let round = 0; round < positiveInteger('repeat'); round++) {
  for (const tool of tools) {
    await rm(tool.out, { recursive: true, force: true });
    await mkdir(dirname(tool.out), { recursive: true });
    const measured = await timedRun(tool.command(tool.out), { timeFile: join(opts.work, 'last.time'), cpus: opts.cpus });
    const peerSummary = measured.stdout.trim() ? JSON.parse(measured.stdout.trim().split('\n').pop()) : undefined;
    const details = tool.details ? await tool.details(tool.out) : peerSummary;
    runs.get(tool.name).push({ ...measured, details });
    console.log(`  ${tool.name}: ${measured.wallSeconds.toFixed(2)} s wall, ${(inputs.length / measured.wallSeconds).toFixed(2)} images/s`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const results = tools.map((tool) => {
  const rs = runs.get(tool.name);
  const wall = median(rs.map((r) => r.wallSeconds));
  const cpu = rs.every((r) => r.cpuSeconds !== undefined) ? median(rs.map((r) => r.cpuSeconds)) : undefined;
  return { tool: tool.name, images: inputs.length, wallSeconds: wall, imagesPerSecond: inputs.length / wall, cpuSecondsPerImage: cpu === undefined ? undefined : cpu / inputs.length, runs: rs };
});

const reference = tools.find((t) => t.name === 'xray-gpu cpu') ?? tools[0];
const equivalence = {};
for (const tool of tools) {
  if (tool === reference) continue;
  equivalence[tool.name] = await compareOutputs({ reference: reference.out, other: tool.out, inputs, labels: LABELS, dist });
}

console.log(`\n| tool | images/s | wall s | CPU s / image | vs SciPy loop | vs OpenCV loop |\n|---|---:|---:|---:|---:|---:|`);
const find = (name) => results.find((r) => r.tool === name);
for (const r of results) {
  const ratio = (peer) => (find(peer) ? `${(r.imagesPerSecond / find(peer).imagesPerSecond).toFixed(2)}x` : '-');
  console.log(`| ${r.tool} | ${r.imagesPerSecond.toFixed(2)} | ${r.wallSeconds.toFixed(1)} | ${r.cpuSecondsPerImage?.toFixed(3) ?? '?'} | ${ratio('SciPy tutorial loop')} | ${ratio('OpenCV loop')} |`);
}
console.log(`\nsame outputs as ${reference.name} (pixels that differ, largest difference in gray levels):`);
for (const [name, perLabel] of Object.entries(equivalence)) {
  const parts = Object.entries(perLabel).map(([label, c]) =>
    c.missing ? `${label}: ${c.missing} MISSING` : `${label} ${((100 * c.differingPixels) / c.pixels).toFixed(4)}% (max ${c.maxDiff})`,
  );
  console.log(`  ${name}: ${parts.join(', ')}`);
}

const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, pinnedTo: opts.cpus ?? null, loadAverage: loadavg(), node: process.version },
  tree: { dir: opts.tree, images: inputs.length, copies: Number(opts.copies), synthetic: Number(opts.synthetic) },
  png: pngLevel === undefined ? 'encoder default (run-length deflate)' : `zlib level ${pngLevel}`,
  jobs: Number(opts.jobs),
  results,
  equivalence,
};
await mkdir(dirname(opts.json), { recursive: true });
await writeFile(opts.json, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nresult: ${opts.json}`);


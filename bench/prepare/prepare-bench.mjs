// The prepare benchmark: one tree of ChestX-ray8 images (the 9 samples x --copies, as symbolic links),
// made into shards at --size by `xray-gpu prepare` (skimage resize, and --resize area) and by the two
// Python pools people write for it (bench/peers/prepare_pool.py: skimage, OpenCV), one process per
// core each. Whole processes are timed (start-up included, as a user waits for it): images/s from the
// wall clock, median over --repeat rounds taken in turns, and CPU seconds (user + sys) per image.
//
//   npm run build
//   node bench/prepare/prepare-bench.mjs [--copies 16] [--size 224] [--clahe] [--repeat 3] [--jobs N]
//        [--engines cpu[,gpu]] [--peers skimage,opencv|none] [--json FILE]
//
// --peers none: xray-gpu only (a machine without the Python libraries, e.g. a lent GPU machine).
//
// $XRAY_SAMPLES: the samples (default ../shared/data/chestxray8-sample); $PYTHON: default /usr/bin/python3.
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { timedRun } from '../timed-run.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = process.env.PYTHON ?? '/usr/bin/python3';
const samples = process.env.XRAY_SAMPLES ?? join(root, '..', 'shared', 'data', 'chestxray8-sample');
const { values: opts } = parseArgs({
  options: {
    copies: { type: 'string', default: '16' },
    size: { type: 'string', default: '224' },
    clahe: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    engines: { type: 'string', default: 'cpu' },
    peers: { type: 'string', default: 'skimage,opencv' },
    work: { type: 'string', default: join(tmpdir(), 'xray-prepare-bench') },
    json: { type: 'string', default: join(root, 'bench', 'prepare', 'results', `prepare-${new Date().toISOString().replace(/[:.]/g, '-')}.json`) },
  },
});

const tree = join(opts.work, 'tree');
await rm(tree, { recursive: true, force: true });
await mkdir(tree, { recursive: true });
const names = (await readdir(samples)).filter((n) => /^\d{8}_\d{3}\.png$/.test(n)).sort();
if (names.length === 0) throw new Error(`no ChestX-ray8 samples in ${samples}; set XRAY_SAMPLES`);
for (let copy = 0; copy < Number(opts.copies); copy++) {
  const patient = String(10_000 + copy).padStart(8, '0');
  for (const name of names) await symlink(join(samples, name), join(tree, `${patient}_${name.slice(9)}`));
}
const images = names.length * Number(opts.copies);
const clahe = opts.clahe ? ['--clahe'] : [];
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const xray = (engine, resize) => ({
  name: `xray-gpu prepare ${engine}${resize === 'area' ? ' --resize area' : ''}`,
  command: (out) => [process.execPath, cli, 'prepare', tree, '--out', out, '--size', opts.size, '--resize', resize, '--engine', engine, '--jobs', opts.jobs, '--quiet', ...clahe],
});
const peer = (library) => ({
  name: `${library === 'skimage' ? 'skimage' : 'OpenCV'} pool`,
  command: (out) => [python, join(root, 'bench', 'peers', 'prepare_pool.py'), library, tree, out, '--size', opts.size, '--processes', opts.jobs, ...clahe],
});
const peers = opts.peers === 'none' ? [] : opts.peers.split(',');
const tools = [...opts.engines.split(',').flatMap((e) => [xray(e, 'skimage'), xray(e, 'area')]), ...peers.map(peer)];

console.log(`tree: ${images} images (${names.length} samples x ${opts.copies}); --size ${opts.size}${opts.clahe ? ' --clahe' : ''}; ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const runs = new Map(tools.map((t) => [t.name, []]));
for (let round = 0; round < Number(opts.repeat); round++) {
  for (const tool of tools) {
    const out = join(opts.work, 'out', tool.name.replace(/[^a-z0-9]+/gi, '-'));
    await rm(out, { recursive: true, force: true });
    const { wallSeconds, cpuSeconds } = await timedRun(tool.command(out), { timeFile: join(opts.work, 'last.time') });
    const measured = { wallSeconds, cpuSeconds };
    runs.get(tool.name).push(measured);
    console.log(`  ${tool.name}: ${measured.wallSeconds.toFixed(2)} s wall, ${(images / measured.wallSeconds).toFixed(2)} images/s, ${measured.cpuSeconds?.toFixed(2) ?? '?'} CPU s`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const results = tools.map((tool) => {
  const rs = runs.get(tool.name);
  const wall = median(rs.map((r) => r.wallSeconds));
  const cpu = rs.every((r) => r.cpuSeconds !== undefined) ? median(rs.map((r) => r.cpuSeconds)) : undefined;
  return { tool: tool.name, command: tool.command('OUT').join(' '), images, wallSeconds: wall, imagesPerSecond: images / wall, cpuSecondsPerImage: cpu === undefined ? undefined : cpu / images, runs: rs };
});
const find = (name) => results.find((r) => r.tool === name);
console.log(`\n| tool | images/s | wall s | CPU s / image | vs skimage pool | vs OpenCV pool |\n|---|---:|---:|---:|---:|---:|`);
for (const r of results) {
  const ratio = (name) => (find(name) ? `${(r.imagesPerSecond / find(name).imagesPerSecond).toFixed(2)}x` : '-');
  console.log(`| ${r.tool} | ${r.imagesPerSecond.toFixed(2)} | ${r.wallSeconds.toFixed(1)} | ${r.cpuSecondsPerImage?.toFixed(3) ?? '?'} | ${ratio('skimage pool')} | ${ratio('OpenCV pool')} |`);
}
const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAfter: loadavg(), node: process.version },
  tree: { images, copies: Number(opts.copies), samples: names.length },
  size: Number(opts.size),
  clahe: opts.clahe,
  jobs: Number(opts.jobs),
  repeat: Number(opts.repeat),
  results,
};
await mkdir(dirname(opts.json), { recursive: true });
await writeFile(opts.json, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nresult: ${opts.json}`);

// The CPU engine vs scipy.ndimage on one 1024x1024 ChestX-ray8 sample, op by op: medians of
// process CPU time (robust when other processes share the cores) and of wall-clock time, in ms.
//
//   npm run build            # the engine is imported from dist/
//   node bench/cpu-vs-scipy.mjs [IMAGE.png] [REPEAT]
//
// Default image: $XRAY_SAMPLES or ../shared/data/chestxray8-sample, file 00000011_001.png.
// $PYTHON picks the interpreter with SciPy and OpenCV (default Debian's /usr/bin/python3).
// Both sides run single-threaded in float64; SciPy's uint8 -> float64 conversion is outside its
// timing, the engine's is inside (Engine.run takes the uint8 image), which favours SciPy slightly.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { createCpuEngine } = await import(join(root, 'dist/src/cpu/engine.js'));

const samples = process.env.XRAY_SAMPLES ?? join(root, '..', 'shared', 'data', 'chestxray8-sample');
const imagePath = process.argv[2] ?? join(samples, '00000011_001.png');
const repeat = Number(process.argv[3] ?? 7);

const png = PNG.sync.read(readFileSync(imagePath));
const gray = new Uint8Array(png.width * png.height);
for (let i = 0; i < gray.length; i++) gray[i] = png.data[4 * i];
const image = { width: png.width, height: png.height, data: gray };

// The tutorial's calls plus the single-axis filters they are built from.
const cases = [
  { name: 'gaussian sigma=1', request: { op: 'gaussian', sigma: 1 } },
  { name: 'gaussian sigma=3.3', request: { op: 'gaussian', sigma: 3.3 } },
  { name: 'gaussian-laplace sigma=1', request: { op: 'gaussian-laplace', sigma: 1 } },
  { name: 'gaussian-gradient-magnitude sigma=2', request: { op: 'gaussian-gradient-magnitude', sigma: 2 } },
  { name: 'sobel axis=0', request: { op: 'sobel', axis: 0 } },
  { name: 'prewitt axis=1', request: { op: 'prewitt', axis: 1 } },
  { name: 'laplace', request: { op: 'laplace' } },
  { name: 'sobel-magnitude', request: { op: 'sobel-magnitude' } },
  { name: 'prewitt-magnitude', request: { op: 'prewitt-magnitude' } },
  { name: 'fourier-gaussian sigma=0.05', request: { op: 'fourier-gaussian', sigma: 0.05 } },
  { name: 'tutorial-canny sigma=0.05', request: { op: 'tutorial-canny', sigma: 0.05 } },
  { name: 'mask threshold=150', request: { op: 'mask', threshold: 150 } },
  { name: 'mask-binary threshold=150', request: { op: 'mask-binary', threshold: 150 } },
  { name: 'histogram 0..255, 256 bins', request: { op: 'histogram' } },
  { name: 'stats', request: { op: 'stats' } },
];

async function medianMs(fn) {
  await fn(); // warm-up (JIT)
  const wall = [];
  const cpu = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(startCpu);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (times) => times.sort((a, b) => a - b)[times.length >> 1];
  return { wall: median(wall), cpu: median(cpu) };
}

const engine = createCpuEngine();
const cpu = {};
for (const { name, request } of cases) {
  if (request.op === 'histogram') cpu[name] = await medianMs(() => engine.histogram(image, { min: 0, max: 255, bins: 256 }));
  else if (request.op === 'stats') cpu[name] = await medianMs(() => engine.stats(image));
  else cpu[name] = await medianMs(() => engine.run(image, [request]));
}
const scipy = JSON.parse(
  execFileSync(process.env.PYTHON ?? '/usr/bin/python3', [join(root, 'bench', 'cpu_vs_scipy.py'), imagePath, JSON.stringify(cases), String(repeat)], {
    encoding: 'utf8',
  }),
);

console.log(`${png.width}x${png.height} ${imagePath}, median of ${repeat} runs, ms (CPU time; wall clock in brackets)`);
console.log('| op | cpu engine | scipy | engine / scipy (CPU time) |');
console.log('|---|---:|---:|---:|');
for (const { name } of cases) {
  const [a, b] = [cpu[name], scipy[name]];
  console.log(`| ${name} | ${a.cpu.toFixed(1)} (${a.wall.toFixed(1)}) | ${b.cpu.toFixed(1)} (${b.wall.toFixed(1)}) | ${(a.cpu / b.cpu).toFixed(2)} |`);
}

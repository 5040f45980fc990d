// Where one batch image's time goes with the cpu engine, on one thread: decode, each op's 8-bit levels
// (the fast path the batch uses for PNG outputs), PNG encoding of the six outputs. Best of --repeat.
//
//   npm run build
//   node bench/batch/stage-times.mjs [--image FILE] [--repeat 5] [--no-simd]
//
// --no-simd: the scalar loops instead of the WebAssembly SIMD kernels. $XRAY_DIST: the built
// project (default dist/).
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = resolve(process.env.XRAY_DIST ?? join(root, 'dist'));
const samples = process.env.XRAY_SAMPLES ?? join(root, '..', 'shared', 'data', 'chestxray8-sample');
const { values: opts } = parseArgs({
  options: {
    image: { type: 'string', default: join(samples, '00000011_000.png') },
    repeat: { type: 'string', default: '5' },
    'no-simd': { type: 'boolean', default: false },
  },
});
const { computePngLevels } = await import(join(dist, 'src/cpu/fast/png-levels.js'));
const { Workspace } = await import(join(dist, 'src/cpu/workspace.js'));
const { readImageFile } = await import(join(dist, 'src/node.js'));
const { encodePng } = await import(join(dist, 'src/io/png.js'));
const { setCpuSimd, cpuSimdActive } = await import(join(dist, 'src/wasm/kernel.js'));
if (opts['no-simd']) setCpuSimd(false);

const TUTORIAL_OUTPUTS = [
  { op: 'gaussian-laplace', sigma: 1 },
  { op: 'gaussian-gradient-magnitude', sigma: 2 },
  { op: 'sobel-magnitude' },
  { op: 'tutorial-canny' },
  { op: 'mask' },
  { op: 'mask-binary' },
];
const repeat = Number(opts.repeat);
const workspace = new Workspace();

/** The fastest of `repeat` runs of `fn`, in ms (after one warm-up run). */
async function best(fn) {
  await fn();
  let fastest = Infinity;
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

const image = await readImageFile(opts.image);
const rows = [['decode', await best(() => readImageFile(opts.image))]];
for (const request of TUTORIAL_OUTPUTS) rows.push([request.op, await best(() => computePngLevels(image, [request], workspace))]);
const levels = computePngLevels(image, TUTORIAL_OUTPUTS, workspace);
rows.push(['PNG encoding (6 outputs)', await best(() => levels.forEach((data) => encodePng({ width: image.width, height: image.height, data })))]);
console.log(`${opts.image} (${image.width}x${image.height}), ${cpuSimdActive() ? 'WebAssembly SIMD' : 'scalar loops'}, best of ${repeat}:`);
for (const [name, ms] of rows) console.log(`  ${name.padEnd(28)} ${ms.toFixed(1).padStart(6)} ms`);
console.log(`  ${'total'.padEnd(28)} ${rows.reduce((sum, [, ms]) => sum + ms, 0).toFixed(1).padStart(6)} ms`);

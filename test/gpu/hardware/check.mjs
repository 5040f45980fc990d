/* global performance, setTimeout */
// GPU engine check on a lent hardware GPU: parity with the CPU engine (tiled and global kernels),
// exact histograms/stats, per-op timings at 1024x1024, batch throughput, device loss.
// Runs from the folder test/gpu/hardware/stage.sh packs (its ./src is the transpiled engine).
import { writeFileSync } from 'node:fs';
import { nodeGpu, releaseNodeGpu, nodeGpuBackend } from './src/platform/node-gpu.js';
import { createGpuEngine } from './src/gpu/engine.js';
import { describeGpu } from './src/gpu/info.js';
import { createCpuEngine } from './src/cpu/engine.js';
import { PARITY_SIZES, parityImage, parityRequests, parityTolerance, describeRequest, EXACT_OPS } from './test/gpu/parity-cases.js';

const out = process.env.OUT ?? '/tmp';
const report = { };
const log = (...a) => console.log(...a);
// Exact timestamps: Dawn rounds them to 65.536 µs unless told otherwise.
const gpu = nodeGpu(['disable-dawn-features=timestamp_quantization']);
report.info = await describeGpu(gpu, { backendHint: nodeGpuBackend() });
log(report.info.summary, 'software', report.info.isSoftware, 'timestamp', report.info.features.includes('timestamp-query'));
const cpu = createCpuEngine();

function maxErr(a, b) { let m = 0; for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); if (!(d <= m)) m = d; } return m; }

async function parity(engine, name) {
  const failures = []; let worst = 0;
  for (const [w, h] of [...PARITY_SIZES, [1024, 1024]]) {
    const image = parityImage(w, h);
    const requests = w === 1024 ? parityRequests().filter((_, i) => i % 6 === 0) : parityRequests();
    const t0 = performance.now();
    const [g, c] = await Promise.all([engine.run(image, requests), cpu.run(image, requests)]);
    requests.forEach((r, i) => {
      const e = maxErr(g[i].data, c[i].data); const tol = EXACT_OPS.has(r.op) ? 0 : parityTolerance(c[i].data);
      worst = Math.max(worst, e / Math.max(tol, 1e-30) * (tol ? 1e-4 : 1));
      if (!(e <= tol)) failures.push(`${w}x${h} ${describeRequest(r)} err ${e} > ${tol}`);
    });
    log(name, `${w}x${h}`, requests.length, 'requests', (performance.now() - t0).toFixed(0), 'ms', 'kernel', engine.lastTimings.kernelMs?.toFixed(2));
  }
  const u8 = parityImage(1024, 1024);
  for (const o of [{ min: 0, max: 255, bins: 256 }, { min: 10.5, max: 200, bins: 7 }]) {
    const a = Array.from(await engine.histogram(u8, o)), b = Array.from(await cpu.histogram(u8, o));
    if (JSON.stringify(a) !== JSON.stringify(b)) failures.push(`histogram ${JSON.stringify(o)} differs`);
  }
  if (JSON.stringify(await engine.stats(u8)) !== JSON.stringify(await cpu.stats(u8))) failures.push('stats differ');
  log(name, 'failures', failures.length, failures.slice(0, 10));
  return { failures, worstRelativeToRange: worst };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
async function timings(engine) {
  const image = parityImage(1024, 1024);
  const ops = [
    { op: 'gaussian', sigma: 1 }, { op: 'gaussian', sigma: 3.3 }, { op: 'gaussian-laplace', sigma: 1 }, { op: 'gaussian-gradient-magnitude', sigma: 2 },
    { op: 'sobel', axis: 0 }, { op: 'prewitt', axis: 1 }, { op: 'laplace' }, { op: 'sobel-magnitude' }, { op: 'prewitt-magnitude' },
    { op: 'fourier-gaussian', sigma: 0.05 }, { op: 'tutorial-canny' }, { op: 'mask' }, { op: 'mask-binary' },
  ];
  const rows = [];
  const measure = async (label, fn, n = 7) => {
    await fn();
    const ks = [], ts = [];
    for (let i = 0; i < n; i++) { await fn(); ks.push(engine.lastTimings.kernelMs); ts.push(engine.lastTimings.totalMs); }
    const row = { label, kernelMs: median(ks), totalMs: median(ts) }; rows.push(row); log(JSON.stringify(row));
  };
  for (const op of ops) await measure(describeRequest(op), () => engine.run(image, [op]));
  await measure('all 13 ops, one submit', () => engine.run(image, ops));
  const batch = Array.from({ length: 8 }, (_, k) => parityImage(1024, 1024, k + 1));
  await measure('all 13 ops x 8 images, one submit', () => engine.runBatch(batch, ops), 3);
  await measure('all 13 ops, 8-bit readback', () => engine.runBatchUint8([image], ops));
  const t0 = performance.now(); await engine.stats(image); rows.push({ label: 'stats (level counts)', totalMs: performance.now() - t0 });
  return rows;
}

const tiled = await createGpuEngine({ gpu, log });
const global = await createGpuEngine({ gpu, workgroupTiles: false });
report.parityTiled = await parity(tiled, 'tiled');
report.parityGlobal = await parity(global, 'global');
report.timingsTiled = await timings(tiled);
report.timingsGlobal = await timings(global);

// Device loss mid-run.
{
  const img = parityImage(2048, 2048, 5); const req = [{ op: 'gaussian', sigma: 3.3 }, { op: 'sobel-magnitude' }];
  await tiled.run(img, req);
  const dev = tiled.device; const p = tiled.run(img, req); await new Promise((r) => setTimeout(r, 1)); dev.destroy();
  const [g, c] = [await p, await cpu.run(img, req)];
  report.deviceLoss = { rebuilds: tiled.deviceRebuilds, errors: req.map((r, i) => maxErr(g[i].data, c[i].data) / parityTolerance(c[i].data) * 1e-4) };
  log('device loss', JSON.stringify(report.deviceLoss));
}
await tiled.dispose(); await global.dispose(); releaseNodeGpu();
writeFileSync(`${out}/gpucheck.json`, JSON.stringify(report, null, 1));
log('done');

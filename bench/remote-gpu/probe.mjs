// Proves that Dawn (npm `webgpu`) finds an adapter and runs a compute shader, and that timestamp
// queries work: the first thing to run on a lent GPU before a full benchmark.
// Usage: node bench/remote-gpu/probe.mjs [dawn flags...]   (prints one JSON object)
/* global GPUBufferUsage, GPUMapMode, performance -- installed by Object.assign(globalThis, globals) below, and Node's */
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);

const flags = process.argv.slice(2);
const gpu = create(flags);
const report = { flags };

const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (!adapter) {
  console.log(JSON.stringify({ ...report, error: 'no WebGPU adapter' }));
  process.exitCode = 1;
} else {
  await probe(adapter);
}

/** Runs the kernel on the adapter and prints the report. */
async function probe(adapter) {
  const info = adapter.info;
  report.adapter = { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
  report.features = [...adapter.features].sort();
  report.limits = {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
  };

  const hasTimestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: hasTimestamps ? ['timestamp-query'] : [],
    requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize },
  });

  // y = 2 x + 1 over 16 Mi floats, a pass that takes long enough to show up in a timestamp.
  const n = 16 * 1024 * 1024;
  const module = device.createShaderModule({
    label: 'probe',
    code: /* wgsl */ `
      @group(0) @binding(0) var<storage, read_write> data: array<f32>;
      @compute @workgroup_size(256)
      fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
        let i = id.x + id.y * groups.x * 256u;
        if (i < arrayLength(&data)) { data[i] = data[i] * 2.0 + 1.0; }
      }`,
  });
  const pipeline = device.createComputePipeline({ label: 'probe', layout: 'auto', compute: { module, entryPoint: 'main' } });
  const input = new Float32Array(n).map((_, i) => i % 1000);
  const buffer = device.createBuffer({ label: 'probe data', size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const readback = device.createBuffer({ label: 'probe readback', size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, input);
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] });

  const querySet = hasTimestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : undefined;
  const resolve = hasTimestamps ? device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }) : undefined;
  const stamps = hasTimestamps ? device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }) : undefined;

  const groups = n / 256;
  const started = performance.now();
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass(querySet ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(Math.min(groups, 65535), Math.ceil(groups / 65535));
  pass.end();
  if (querySet) {
    encoder.resolveQuerySet(querySet, 0, 2, resolve, 0);
    encoder.copyBufferToBuffer(resolve, 0, stamps, 0, 16);
  }
  encoder.copyBufferToBuffer(buffer, 0, readback, 0, n * 4);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  report.wallMs = performance.now() - started;

  let wrong = 0;
  for (let i = 0; i < n; i++) if (out[i] !== input[i] * 2 + 1) wrong++;
  report.kernelCorrect = wrong === 0;
  report.wrongValues = wrong;
  if (stamps) {
    await stamps.mapAsync(GPUMapMode.READ);
    const [t0, t1] = new BigUint64Array(stamps.getMappedRange());
    report.kernelMs = Number(t1 - t0) / 1e6;
    stamps.unmap();
  }
  console.log(JSON.stringify(report, null, 2));
  device.destroy();
  // process.exit() while Dawn's threads run aborts the process: set the code and let it end.
  process.exitCode = wrong === 0 ? 0 : 1;
}

/**
 * The CPU engine in a Web Worker, for pages without WebGPU: the float64 filters, their colours and
 * the statistics all run here, so the page stays responsive while a 1024x1024 image is processed.
 * Results travel back as transferred buffers (no copy).
 */
import { applyColormap, cpuSimdActive, createCpuEngine } from '../../src/index.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

/** The part of DedicatedWorkerGlobalScope used here (the DOM lib the viewer compiles with lacks the worker lib). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const engine = createCpuEngine();

scope.onmessage = (event) => {
  const message = event.data;
  handle(message).then(
    ([reply, transfer]) => scope.postMessage(reply, transfer),
    (error: unknown) => scope.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }, []),
  );
};

async function handle(message: WorkerRequest): Promise<[WorkerReply, Transferable[]]> {
  switch (message.type) {
    case 'describe':
      return [{ id: message.id, ok: true, description: `${engine.description} in a Web Worker`, simd: cpuSimdActive() }, []];
    case 'compute': {
      const outputs = await engine.run(message.image, message.jobs.map((job) => job.request));
      const panels = outputs.map((output, i) => ({
        key: message.jobs[i].key,
        width: output.width,
        height: output.height,
        values: output.data,
        rgba: applyColormap(output.data, message.jobs[i].colormap),
      }));
      return [{ id: message.id, ok: true, panels }, panels.flatMap((panel) => [panel.values.buffer, panel.rgba.buffer])];
    }
    case 'analyse': {
      const stats = await engine.stats(message.image);
      if (Number.isNaN(stats.min)) throw new RangeError('the image holds NaN values: its statistics and histogram are undefined');
      const counts = await engine.histogram(message.image, { min: stats.min, max: stats.max, bins: message.bins });
      return [{ id: message.id, ok: true, analysis: { stats, counts } }, [counts.buffer]];
    }
  }
}

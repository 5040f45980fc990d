/**
 * Where the viewer's work runs: the GPU engine on `navigator.gpu` (filters and colours in one submit
 * per change), or, where WebGPU is absent or its adapter request fails, the CPU engine in a Web Worker
 * so the page never freezes. Both answer the same two calls.
 */
import { type GpuEngine, type Image2D, type ImageStats, createGpuEngine } from '../../src/index.js';
import type { PanelJob, WireImage, WirePanel, WorkerReply, WorkerRequest } from './protocol.js';

export interface Analysis {
  stats: ImageStats;
  /** ndimage.histogram(x, min(x), max(x), bins). */
  counts: Uint32Array;
}

export interface ViewerEngine {
  readonly name: 'gpu' | 'cpu';
  /** One line: the engine and its adapter (or why the CPU worker runs). */
  readonly description: string;
  /** Computes the jobs' outputs and colours them; results in job order. */
  compute(image: Image2D, jobs: readonly PanelJob[]): Promise<WirePanel[]>;
  analyse(image: Image2D, bins: number): Promise<Analysis>;
  dispose(): void;
}

export type EngineChoice = 'auto' | 'gpu' | 'cpu';

/**
 * The engine `choice` asks for, as the CLI's --engine does: `auto` takes a hardware GPU and
 * otherwise the worker (saying why; a software adapter such as SwiftShader is slower than the CPU
 * engine), `gpu` takes any adapter and fails where there is none, `cpu` never touches WebGPU.
 */
export async function openViewerEngine(choice: EngineChoice, workerSource: string): Promise<ViewerEngine> {
  if (choice === 'cpu') return WorkerEngine.start(workerSource, 'requested with ?engine=cpu');
  const start = (why: string) => WorkerEngine.start(workerSource, why);
  const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
  let why: string;
  if (gpu === undefined) {
    why = 'this browser exposes no navigator.gpu (WebGPU)';
  } else {
    try {
      return new GpuViewerEngine(await createGpuEngine({ gpu, requireHardware: choice === 'auto' }), start);
    } catch (error) {
      why = `WebGPU: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (choice === 'gpu') throw new Error(`?engine=gpu, but ${why}`);
  return start(`${why}; ?engine=gpu takes any adapter`);
}

/**
 * The GPU engine. On a software adapter (SwiftShader) the true Canny goes to the CPU worker: its
 * hysteresis reads a flag back after every few propagation steps, and each of those round trips
 * costs SwiftShader so much that one 1024x1024 image takes some 20 s (bench/results/swiftshader-2core).
 */
class GpuViewerEngine implements ViewerEngine {
  readonly name = 'gpu' as const;
  readonly description: string;
  private cannyWorker: Promise<WorkerEngine> | undefined;

  constructor(private readonly engine: GpuEngine, private readonly startWorker: (why: string) => Promise<WorkerEngine>) {
    this.description = engine.software
      ? `${engine.description}; Canny on the CPU worker (a software adapter runs its hysteresis slowly)`
      : engine.description;
  }

  async compute(image: Image2D, jobs: readonly PanelJob[]): Promise<WirePanel[]> {
    const onWorker = this.engine.software ? jobs.filter((job) => job.request.op === 'canny') : [];
    const onGpu = jobs.filter((job) => !onWorker.includes(job));
    const [rendered, fromWorker] = await Promise.all([
      onGpu.length > 0
        ? this.engine.runRendered(image, onGpu.map((job) => ({ source: job.request, colormaps: [job.colormap], keepFloat: true })))
        : Promise.resolve([]),
      onWorker.length > 0 ? this.worker().then((worker) => worker.compute(image, onWorker)) : Promise.resolve([]),
    ]);
    const panels = new Map<string, WirePanel>(fromWorker.map((panel) => [panel.key, panel]));
    rendered.forEach((output, i) => {
      const job = onGpu[i];
      const { width, height, data } = output.float!;
      panels.set(job.key, { key: job.key, width, height, values: data, rgba: output.rgba.get(job.colormap)!.rgba });
    });
    return jobs.map((job) => panels.get(job.key)!);
  }

  async analyse(image: Image2D, bins: number): Promise<Analysis> {
    const stats = await this.engine.stats(image);
    if (Number.isNaN(stats.min)) throw new RangeError('the image holds NaN values: its statistics and histogram are undefined');
    return { stats, counts: await this.engine.histogram(image, { min: stats.min, max: stats.max, bins }) };
  }

  dispose(): void {
    void this.engine.dispose();
    void this.cannyWorker?.then((worker) => worker.dispose());
  }

  private worker(): Promise<WorkerEngine> {
    this.cannyWorker ??= this.startWorker('Canny beside a software GPU adapter');
    return this.cannyWorker;
  }
}

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void };

class WorkerEngine implements ViewerEngine {
  readonly name = 'cpu' as const;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly worker: Worker, private readonly url: string, public description: string) {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiter) return;
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(new Error(reply.error));
    };
    // A worker that fails to load or throws outside a request fails everything still waiting.
    worker.onerror = (event) => {
      const error = new Error(`the CPU worker failed: ${event.message || 'it could not be started'}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
  }

  /**
   * Starts the worker from its bundled source through a blob: URL, which works from file:// (where
   * a worker script file cannot be loaded) and over HTTP alike; the page's CSP must allow `worker-src blob:`.
   */
  static async start(workerSource: string, why: string): Promise<WorkerEngine> {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    const engine = new WorkerEngine(new Worker(url), url, '');
    const reply = await engine.call({ id: 0, type: 'describe' });
    if ('description' in reply) engine.description = `${reply.description} (${why})`;
    return engine;
  }

  async compute(image: Image2D, jobs: readonly PanelJob[]): Promise<WirePanel[]> {
    const reply = await this.call({ id: 0, type: 'compute', image: wire(image), jobs: [...jobs] });
    if (!('panels' in reply)) throw new Error('the CPU worker answered a compute request with something else');
    return reply.panels;
  }

  async analyse(image: Image2D, bins: number): Promise<Analysis> {
    const reply = await this.call({ id: 0, type: 'analyse', image: wire(image), bins });
    if (!('analysis' in reply)) throw new Error('the CPU worker answered an analyse request with something else');
    return reply.analysis;
  }

  dispose(): void {
    this.worker.terminate();
    URL.revokeObjectURL(this.url);
    for (const waiter of this.pending.values()) waiter.reject(new Error('the CPU worker was stopped'));
    this.pending.clear();
  }

  private call(request: WorkerRequest): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The image is copied (structured clone), not transferred: the page keeps it for later changes.
      this.worker.postMessage({ ...request, id });
    });
  }
}

function wire(image: Image2D): WireImage {
  return { width: image.width, height: image.height, data: image.data };
}

/**
 * The batch's worker threads (piscina), running worker.ts. The pool's own queue is not what bounds
 * memory: the batch never hands it more tasks than it has slots for (see runner.ts).
 */
import { Piscina } from 'piscina';
import { poolWorkerExecArgv } from '../../platform/worker-exec-argv.js';
import type {
  DecodeResult,
  DecodeTask,
  EncodeResult,
  EncodeTask,
  ProcessResult,
  ProcessTask,
  TaskFailure,
  WorkerTask,
} from './worker-protocol.js';

/** Next to this file in dist/: worker.ts compiled. Tests and the CLI run the built code. */
const WORKER_FILE = new URL('./worker.js', import.meta.url).href;

export class BatchWorkerPool {
  private readonly pool: Piscina<WorkerTask, ProcessResult | DecodeResult | EncodeResult | TaskFailure>;

  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`worker threads must be an integer >= 1, got ${threads}`);
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: threads,
      maxThreads: threads,
      // Two tasks per thread: while one waits on the disk (each output is fsync'd before its rename),
      // the other computes, so the cores stay busy.
      concurrentTasksPerWorker: 2,
      idleTimeout: 60_000,
      execArgv: poolWorkerExecArgv(),
    });
  }

  /** Read, decode, compute (CPU engine), encode and write one image, all in a worker. */
  process(task: ProcessTask): Promise<ProcessResult | TaskFailure> {
    return this.pool.run(task) as Promise<ProcessResult | TaskFailure>;
  }

  /** Read and decode one image; its pixels come back. */
  decode(task: DecodeTask): Promise<DecodeResult | TaskFailure> {
    return this.pool.run(task) as Promise<DecodeResult | TaskFailure>;
  }

  /** Encode and write results; their buffers move to the worker (the caller must not use them after). */
  encode(task: EncodeTask): Promise<EncodeResult | TaskFailure> {
    const buffers = [...new Set(task.results.map((r) => r.buffer as ArrayBuffer))];
    return this.pool.run(task, { transferList: buffers }) as Promise<EncodeResult | TaskFailure>;
  }

  /** Waits for running tasks to end, then stops the threads. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Stops the threads now; tasks in flight are abandoned. */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

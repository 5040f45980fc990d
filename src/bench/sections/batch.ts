/**
 * Hosts the batch benchmark (bench/batch/batch-bench.mjs, written with the batch runner) as a section
 * of `xray-gpu bench --sections batch`: runs it as its own process, since it times whole
 * `xray-gpu batch` processes, and reports its JSON summary as a table.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatNumber } from '../format.js';
import type { BenchSection } from '../harness.js';
import { markdownTable } from '../report.js';

/** What bench/batch/batch-bench.mjs writes to --json (the fields this section reads). */
interface BatchReport {
  tree: { images: number };
  jobs: number;
  png: string;
  results: { tool: string; images: number; wallSeconds: number; imagesPerSecond: number; cpuSecondsPerImage?: number }[];
}

/** bench/batch/batch-bench.mjs, found from this module (src/bench/sections or its dist/ copy) upwards. */
export function batchScript(from: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = resolve(from); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'bench', 'batch', 'batch-bench.mjs');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The batch section. `python` is handed to the script as $PYTHON for its SciPy/OpenCV loops;
 * `extraArgs` go to the script as they are (e.g. ["--copies", "1", "--synthetic", "4"]).
 */
export function batchSection(options: { python: string; extraArgs?: readonly string[] }): BenchSection {
  return {
    id: 'batch',
    title: 'Batch: whole folders through `xray-gpu batch` and the peers’ loops',
    async run(context) {
      const script = batchScript();
      if (!script) throw new Error('bench/batch/batch-bench.mjs not found: the batch benchmark is not installed here');
      const json = join(context.workDir, 'batch.json');
      const args = [script, '--engines', context.config.engines.join(','), '--peers', context.config.peers.join(','), '--json', json, ...(options.extraArgs ?? [])];
      context.log(`batch section: node ${args.join(' ')}`);
      await runNode(args, { ...process.env, PYTHON: options.python }, context.log);
      const report = JSON.parse(await readFile(json, 'utf8')) as BatchReport;
      const rows = report.results.map((r) => [
        r.tool,
        formatNumber(r.imagesPerSecond),
        formatNumber(r.wallSeconds),
        r.cpuSecondsPerImage === undefined ? '–' : formatNumber(r.cpuSecondsPerImage),
      ]);
      const markdown = [
        `${report.tree.images} images, ${report.jobs} jobs, PNG ${report.png}; wall clock of whole processes (start-up included).`,
        '',
        ...markdownTable(['tool', 'images/s', 'wall s', 'CPU s per image'], rows, [false, true, true, true]),
      ].join('\n');
      return { markdown, data: report };
    },
  };
}

function runNode(args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-2000);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  batch: ${line}`);
    });
    child.stderr.on('data', keep);
    child.on('error', (error) => reject(new Error(`cannot start the batch benchmark: ${error.message}`, { cause: error })));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`the batch benchmark failed (${signal ?? `exit ${code}`}): ${tail.trim().split('\n').pop()}`));
    });
  });
}

#!/usr/bin/env node
/**
 * Writes the README's Performance section from one or more saved benchmark runs, between the
 * markers `<!-- perf:start -->` and `<!-- perf:end -->` (nothing outside them is touched).
 *
 *   npm run build
 *   node dist/bench/update-readme.js bench/results/h100/results.json bench/results/swiftshader-2core/results.json
 *   node dist/bench/update-readme.js --readme OTHER.md --check RESULTS.json...   (exit 1 if the README is stale)
 *
 * Each run's results.md and chart.png are linked from beside its results.json.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReadmeSection } from '../src/bench/report.js';
import { type BenchResults, isBenchResults } from '../src/bench/results.js';

export const START_MARKER = '<!-- perf:start -->';
export const END_MARKER = '<!-- perf:end -->';

/** A heading for a run that says what ran where: the GPU when there was a real one, else the CPU. */
export function runTitle(results: BenchResults): string {
  const { machine } = results;
  const cpu = `${machine.cpuModel} (${machine.cores} cores)`;
  const adapter = machine.adapter;
  if (adapter && !adapter.isSoftware) return `${adapter.device || adapter.summary} GPU, ${cpu}`;
  if (adapter?.isSwiftShader) return `${cpu}, no GPU: the GPU engine on SwiftShader (emulation)`;
  return `${cpu}, CPU only`;
}

/** `readme` with the text between the markers replaced by `section`; throws when the markers are missing or out of order. */
export function replaceBetweenMarkers(readme: string, section: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < 0 || end < start) {
    throw new Error(`the README needs ${START_MARKER} followed by ${END_MARKER} where the Performance section goes`);
  }
  return `${readme.slice(0, start + START_MARKER.length)}\n${section}\n${readme.slice(end)}`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { readme: { type: 'string', default: 'README.md' }, check: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new Error('usage: update-readme [--readme README.md] [--check] RESULTS.json...');
  const readmePath = resolve(values.readme);
  const readmeDir = dirname(readmePath);
  const runs = await Promise.all(
    positionals.map(async (path) => {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      if (!isBenchResults(parsed)) throw new Error(`${path} is not an xray-gpu bench results.json`);
      const beside = (name: string) => {
        const file = join(dirname(resolve(path)), name);
        return existsSync(file) ? relative(readmeDir, file) : undefined;
      };
      return { results: parsed, title: runTitle(parsed), resultsPath: beside('results.md'), chartPath: beside('chart.png') };
    }),
  );
  const section = [
    `Generated from ${runs.length === 1 ? 'a benchmark run' : `${runs.length} benchmark runs`} by \`node dist/bench/update-readme.js\`; ` +
      'each run is `xray-gpu bench` on the machine it names. Ratios are peer time ÷ xray-gpu time: above 1, xray-gpu is faster.',
    '',
    formatReadmeSection(runs),
  ].join('\n');
  const readme = await readFile(readmePath, 'utf8');
  const updated = replaceBetweenMarkers(readme, section);
  if (values.check) {
    if (updated !== readme) {
      process.stderr.write(`${values.readme}: the Performance section is not what these results give\n`);
      process.exitCode = 1;
    }
    return;
  }
  await writeFile(readmePath, updated);
  process.stderr.write(`${values.readme}: Performance section written from ${positionals.join(', ')}\n`);
}

// Run only as a script, so tests can import the functions above.
if (process.argv[1] && resolve(process.argv[1]).replace(/\.ts$/, '.js').endsWith(join('bench', 'update-readme.js'))) {
  main().catch((error: unknown) => {
    process.stderr.write(`update-readme: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

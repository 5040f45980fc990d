/**
 * Merging manifests (several shards, or several runs of one shard) into one: one line per input, its
 * final outcome. The last record of an input wins, except that a `skipped` record ("outputs already
 * complete") does not replace the `ok` record that made those outputs, which holds the timings.
 * The merged lines are sorted by input path in walk order (natural order per path component).
 */
import { writeFileAtomic } from '../../io/atomic.js';
import { type ManifestRecord, readManifest } from './manifest.js';
import { compareNatural } from './natural-order.js';

export interface MergeResult {
  inputs: number;
  ok: number;
  failed: number;
  skipped: number;
  /** Lines that were not records (torn by a crash, or foreign), skipped. */
  badLines: number;
}

export interface MergeOptions {
  onBadLine?: (file: string, lineNumber: number) => void;
}

/** Reads `manifests` in order, writes the merged manifest to `output` (atomically) and counts outcomes. */
export async function mergeManifests(manifests: readonly string[], output: string, options: MergeOptions = {}): Promise<MergeResult> {
  if (manifests.length === 0) throw new RangeError('merge-manifests needs at least one manifest to read, got none');
  const latest = new Map<string, ManifestRecord>();
  let badLines = 0;
  for (const file of manifests) {
    const records = readManifest(file, {
      onBadLine: (lineNumber) => {
        badLines++;
        options.onBadLine?.(file, lineNumber);
      },
    });
    for await (const record of records) {
      const previous = latest.get(record.input);
      if (record.status === 'skipped' && previous?.status === 'ok') continue;
      latest.set(record.input, record);
    }
  }
  const merged = [...latest.values()].sort((a, b) => comparePaths(a.input, b.input));
  const result: MergeResult = { inputs: merged.length, ok: 0, failed: 0, skipped: 0, badLines };
  for (const record of merged) result[record.status]++;
  const text = merged.map((record) => `${JSON.stringify(record)}\n`).join('');
  await writeFileAtomic(output, Buffer.from(text, 'utf8'));
  return result;
}

/** The walk's order: component by component, each in natural order. */
export function comparePaths(a: string, b: string): number {
  const partsA = a.split('/');
  const partsB = b.split('/');
  for (let i = 0; i < Math.min(partsA.length, partsB.length); i++) {
    const order = compareNatural(partsA[i], partsB[i]);
    if (order !== 0) return order;
  }
  return partsA.length - partsB.length;
}

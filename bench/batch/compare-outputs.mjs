// Checks that two batch runs wrote the same set of 8-bit PNGs: every expected file exists in both,
// and per output kind, how many pixels differ and by how much (float32 peers may land on the other
// side of a rounding boundary: at most 1 level is expected there).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Compares `other` against `reference` for every input x label; returns per-label counts. */
export async function compareOutputs({ reference, other, inputs, labels, dist }) {
  const { decodePng } = await import(join(dist, 'src/io/png.js'));
  const perLabel = {};
  for (const label of labels) perLabel[label] = { files: 0, missing: 0, identicalFiles: 0, pixels: 0, differingPixels: 0, maxDiff: 0 };
  for (const input of inputs) {
    const stem = input.replace(/\.png$/i, '');
    for (const label of labels) {
      const counts = perLabel[label];
      const relative = `${stem}.${label}.png`;
      const [a, b] = await Promise.all([readFile(join(reference, relative)), readFile(join(other, relative)).catch(() => undefined)]);
      counts.files++;
      if (!b) {
        counts.missing++;
        continue;
      }
      const pa = decodePng(a, relative).data;
      const pb = decodePng(b, relative).data;
      let differing = 0;
      let maxDiff = 0;
      for (let i = 0; i < pa.length; i++) {
        const d = Math.abs(pa[i] - pb[i]);
        if (d > 0) {
          differing++;
          if (d > maxDiff) maxDiff = d;
        }
      }
      counts.pixels += pa.length;
      counts.differingPixels += differing;
      counts.maxDiff = Math.max(counts.maxDiff, maxDiff);
      if (differing === 0) counts.identicalFiles++;
    }
  }
  return perLabel;
}

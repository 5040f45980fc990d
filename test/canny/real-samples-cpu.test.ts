import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cannyCpu } from '../../src/cpu/canny.js';
import { decodePng } from '../../src/io/png.js';
import { edgeAgreement, loadPackedEdges, realSampleEntries, samplesDir } from './fixtures.js';

const dir = samplesDir();
const { params, samples } = realSampleEntries();

describe.skipIf(dir === undefined)(`cannyCpu on the real samples${dir === undefined ? ' (skipped: set XRAY_SAMPLES or add ../shared/data/chestxray8-sample)' : ''}`, () => {
  for (const entry of samples) {
    it(`agrees with skimage.feature.canny(image, sigma=2) on >= 99.5% of pixels and >= 99% of its edges for ${entry.sample}`, () => {
      const image = decodePng(readFileSync(join(dir ?? '', entry.sample)), entry.sample);
      const edges = cannyCpu(image, params);
      const agreement = edgeAgreement(edges.data, loadPackedEdges(entry));
      console.log(`canny cpu vs skimage ${entry.sample}: ${agreement.differing} of ${agreement.pixels} pixels differ, ` +
        `${(100 * agreement.edgeRecall).toFixed(3)}% of ${agreement.referenceEdges} skimage edges found`);
      expect(agreement.referenceEdges).toBe(entry.edgeCount);
      expect(agreement.pixelAgreement).toBeGreaterThanOrEqual(0.995);
      expect(agreement.edgeRecall).toBeGreaterThanOrEqual(0.99);
    });
  }
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGrayGif } from '../../src/io/gif.js';
import { colormapImage } from '../../src/render/colormap.js';
import { comparisonFigure, stripFigure } from '../../src/render/figure.js';
import { histogramPlot } from '../../src/render/histogram-plot.js';
import { bytesToBase64, escapeHtml, renderReportHtml, type ReportContent } from '../../src/render/report.js';
import { syntheticSeries } from '../../src/synthetic/phantom.js';
import { CAN_SCREENSHOT, screenshotPage } from '../helpers/chromium.js';
import { countPixels, decodePng, isWhite, whole } from './png-helpers.js';

const series = syntheticSeries({ size: 128, followUps: 3 });
const names = ['000.png', '001.png', '002.png'];
const counts = new Uint32Array(256);
for (const v of series[0].data) counts[v]++;

function sampleReport(): ReportContent {
  const single = (image: Parameters<typeof comparisonFigure>[0][number]['image'], title: string) =>
    comparisonFigure([{ title, image }], { panelSize: 128 });
  return {
    title: 'xray-gpu report <synthetic> & "friends"',
    summary: ['Engine: cpu (float64)', 'Inputs: 3 synthetic images'],
    generatedAt: '2026-01-01T00:00:00Z',
    figures: [
      { title: 'Comparison', bytes: comparisonFigure(['gray', 'viridis', 'magma'].map((cmap) => ({ title: cmap, image: colormapImage(series[2], cmap) })), { panelSize: 160 }) },
      { title: 'Follow-ups', bytes: stripFigure(series, names, { frameSize: 128 }) },
      { title: 'Animation', bytes: encodeGrayGif(series, { delayMs: 300 }) },
    ],
    images: [
      { title: 'Original', bytes: single(series[0], 'Original'), caption: 'input 000.png' },
      { title: 'Laplace <of> Gaussian', bytes: single(colormapImage(series[0], 'hot'), 'LoG'), caption: 'sigma = 1 & mode "reflect"' },
    ],
    histogram: { title: 'Histogram', bytes: histogramPlot(counts, { min: 0, max: 255 }, { title: 'Histogram of 000.png' }) },
    stats: [{ name: '000.png', width: 128, height: 128, dtype: 'uint8', min: 0, max: 255, mean: 108.5123456, median: 117 }],
    timings: [
      { stage: 'decode', engine: 'cpu', ms: 3.25 },
      { stage: 'gaussian', engine: 'cpu', ms: 41.5 },
      { stage: 'gaussian', engine: 'gpu', ms: 12.125 },
      { stage: 'gaussian', engine: 'gpu', ms: 1 },
    ],
  };
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(sampleReport());

  it('is one self-contained document: images inline as data: URIs, no scripts, links or external URLs', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const sources = [...html.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]);
    expect(sources).toHaveLength(3 + 2 + 1);
    for (const src of sources) expect(src).toMatch(/^data:image\/(png|gif);base64,[A-Za-z0-9+/]+=*$/);
    expect(html).not.toMatch(/<script|<link|<iframe|@import|url\(|https?:/i);
  });

  it('inlines the exact image bytes (PNG and GIF) as base64', () => {
    const report = sampleReport();
    for (const image of [...(report.figures ?? []), ...report.images]) {
      expect(html).toContain(Buffer.from(image.bytes).toString('base64'));
    }
    expect(html).toContain('data:image/gif;base64,');
  });

  it('escapes all text: titles, captions, names', () => {
    expect(html).toContain('<title>xray-gpu report &lt;synthetic&gt; &amp; &quot;friends&quot;</title>');
    expect(html).toContain('Laplace &lt;of&gt; Gaussian');
    expect(html).toContain('sigma = 1 &amp; mode &quot;reflect&quot;');
    expect(html).not.toContain('<synthetic>');
    expect(html).not.toContain('<of>');
  });

  it('shows the statistics and a stage-by-engine timings table with totals', () => {
    expect(html).toContain('<td>000.png</td><td class="num">128&times;128</td>');
    expect(html).toContain('<td class="num">108.5123</td>');
    expect(html).toMatch(/<th>Stage<\/th><th class="num">cpu<\/th><th class="num">gpu<\/th>/);
    // Repeated stage/engine pairs add up (12.125 + 1), a missing pair is a dash.
    expect(html).toContain('<td>gaussian</td><td class="num">41.5</td><td class="num">13.1</td>');
    expect(html).toContain('<td>decode</td><td class="num">3.25</td><td class="num">&ndash;</td>');
    expect(html).toContain('<strong>44.8</strong>');
  });

  it('rejects image bytes that are neither PNG nor GIF, and bad timings', () => {
    const report = sampleReport();
    expect(() => renderReportHtml({ ...report, images: [{ title: 'raw', bytes: Uint8Array.of(1, 2, 3) }] })).toThrow(
      'report image "raw" must be PNG or GIF bytes, got 3 bytes starting 01 02 03',
    );
    expect(() => renderReportHtml({ ...report, timings: [{ stage: 'x', engine: 'cpu', ms: -1 }] })).toThrow(
      'report timing for stage "x" on cpu must be a finite, non-negative ms, got -1',
    );
  });
});

describe('bytesToBase64 and escapeHtml', () => {
  it('encodes like Node Buffer for every length remainder and across chunk boundaries', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 12287, 12288, 12289, 40000]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + 7) & 255);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });
});

describe('report in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xray-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!CAN_SCREENSHOT)('renders in headless Chromium as a non-blank, colourful page (skipped without Chromium)', async () => {
    const page = join(dir, 'report.html');
    writeFileSync(page, renderReportHtml(sampleReport()));
    const shot = await screenshotPage(page, 1200, 2000, dir);
    const image = decodePng(readFileSync(shot));
    writeFileSync(join(tmpdir(), 'xray-report-screenshot.png'), readFileSync(shot)); // left for a human to look at
    expect([image.width, image.height]).toEqual([1200, 2000]);
    const total = image.width * image.height;
    const nonWhite = total - countPixels(image, whole(image), isWhite);
    expect(nonWhite / total).toBeGreaterThan(0.08); // a blank page is 0; this report covers ~14%
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4) colours.add((image.data[i] << 16) | (image.data[i + 1] << 8) | image.data[i + 2]);
    expect(colours.size).toBeGreaterThan(1000);
  });
});

/**
 * The run report: one self-contained HTML page (images inlined as data: URIs, inline CSS, no
 * scripts, no external requests) with every output image, the histogram plot, the statistics
 * and the timings. Every piece of text is HTML-escaped.
 */

/** A picture in the report: PNG or GIF bytes (the kind is read from the bytes' signature). */
export interface ReportImage {
  title: string;
  bytes: Uint8Array;
  /** A line under the image (e.g. the operation and its parameters). */
  caption?: string;
  /** Where a click on the image leads (a relative path: the full-size file, a per-image report). */
  href?: string;
}

/** One row of the statistics table. */
export interface ReportStats {
  /** What the row describes (an input file name, an output name). */
  name: string;
  width: number;
  height: number;
  dtype?: string;
  min: number;
  max: number;
  mean: number;
  median: number;
}

/** How long one stage took on one engine. */
export interface ReportTiming {
  stage: string;
  engine: string;
  ms: number;
}

/** What `renderReportHtml` renders: title, summary, images, statistics, timings. */
export interface ReportContent {
  title: string;
  /** Short lines under the title: inputs, engine choice, versions. */
  summary?: readonly string[];
  /** Every output image, in the order to show them. */
  images: readonly ReportImage[];
  /** The histogram plot (from `histogramPlot`). */
  histogram?: ReportImage;
  /** Larger figures shown full width: the comparison figure, the follow-up strip, the GIF. */
  figures?: readonly ReportImage[];
  stats: readonly ReportStats[];
  timings: readonly ReportTiming[];
  /** A time stamp to print, given by the caller so the page is otherwise reproducible. */
  generatedAt?: string;
}

/** The report as one HTML document (UTF-8 text). */
export function renderReportHtml(report: ReportContent): string {
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing on this page may be fetched: everything is inline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(report.title)}</h1>`,
  ];
  const summary = [...(report.summary ?? []), ...(report.generatedAt ? [`Generated ${report.generatedAt}`] : [])];
  if (summary.length > 0) parts.push(`<ul class="summary">${summary.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`);

  if (report.figures && report.figures.length > 0) {
    parts.push('<h2>Figures</h2>', ...report.figures.map((figure) => imageFigure(figure, 'wide')));
  }
  if (report.images.length > 0) {
    parts.push('<h2>Outputs</h2>', '<div class="grid">', ...report.images.map((image) => imageFigure(image, 'tile')), '</div>');
  }
  if (report.histogram) parts.push('<h2>Histogram</h2>', imageFigure(report.histogram, 'wide'));
  if (report.stats.length > 0) parts.push('<h2>Statistics</h2>', statsTable(report.stats));
  if (report.timings.length > 0) parts.push('<h2>Timings (ms)</h2>', timingsTable(report.timings));
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function imageFigure(image: ReportImage, kind: 'tile' | 'wide'): string {
  const src = `data:${mimeType(image)};base64,${bytesToBase64(image.bytes)}`;
  const caption = image.caption ? `<span class="caption">${escapeHtml(image.caption)}</span>` : '';
  const img = `<img src="${src}" alt="${escapeHtml(image.title)}">`;
  return (
    `<figure class="${kind}"><figcaption><strong>${escapeHtml(image.title)}</strong>${caption}</figcaption>` +
    `${image.href === undefined ? img : `<a href="${escapeHtml(image.href)}">${img}</a>`}</figure>`
  );
}

function mimeType(image: ReportImage): string {
  const b = image.bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'image/gif';
  const head = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  throw new RangeError(`report image "${image.title}" must be PNG or GIF bytes, got ${b.length} bytes starting ${head || '(empty)'}`);
}

function statsTable(stats: readonly ReportStats[]): string {
  const header = ['Image', 'Size', 'dtype', 'Min', 'Max', 'Mean', 'Median'];
  const rows = stats.map((row) =>
    [
      escapeHtml(row.name),
      `${row.width}&times;${row.height}`,
      escapeHtml(row.dtype ?? ''),
      formatNumber(row.min),
      formatNumber(row.max),
      formatNumber(row.mean),
      formatNumber(row.median),
    ],
  );
  return table(header, rows, 1);
}

/** Stages down, engines across (first-seen order); repeated stage/engine pairs add up. */
function timingsTable(timings: readonly ReportTiming[]): string {
  const stages = [...new Set(timings.map((t) => t.stage))];
  const engines = [...new Set(timings.map((t) => t.engine))];
  const cell = new Map<string, number>();
  for (const { stage, engine, ms } of timings) {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`report timing for stage "${stage}" on ${engine} must be a finite, non-negative ms, got ${ms}`);
    }
    const key = JSON.stringify([stage, engine]);
    cell.set(key, (cell.get(key) ?? 0) + ms);
  }
  const rows = stages.map((stage) => [
    escapeHtml(stage),
    ...engines.map((engine) => {
      const ms = cell.get(JSON.stringify([stage, engine]));
      return ms === undefined ? '&ndash;' : ms.toFixed(ms < 10 ? 2 : 1);
    }),
  ]);
  const totals = engines.map((engine) =>
    timings.filter((t) => t.engine === engine).reduce((sum, t) => sum + t.ms, 0),
  );
  rows.push(['<strong>Total</strong>', ...totals.map((ms) => `<strong>${ms.toFixed(1)}</strong>`)]);
  return table(['Stage', ...engines.map(escapeHtml)], rows, 1);
}

/** A table from already-escaped cells; columns from `firstNumeric` on are right-aligned. */
function table(header: readonly string[], rows: readonly string[][], firstNumeric: number): string {
  const cls = (i: number) => (i >= firstNumeric ? ' class="num"' : '');
  const head = `<tr>${header.map((h, i) => `<th${cls(i)}>${h}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3 ? value.toExponential(4) : value.toFixed(4);
}

const BASE64_CODES = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));
const PAD = 0x3d; // '='

/**
 * RFC 4648 base64 (with padding), without Node's Buffer so the module also runs in a browser. The
 * characters go into a byte array decoded once as latin1: building the string piece by piece cost
 * about a second per megabyte of PNG (mostly garbage collection), this about 20 ms.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  let i = 0;
  for (; i < whole; i += 3) {
    const t = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = BASE64_CODES[t >> 18];
    out[o++] = BASE64_CODES[(t >> 12) & 63];
    out[o++] = BASE64_CODES[(t >> 6) & 63];
    out[o++] = BASE64_CODES[t & 63];
  }
  if (i < bytes.length) {
    const two = i + 1 < bytes.length;
    const t = (bytes[i] << 16) | (two ? bytes[i + 1] << 8 : 0);
    out[o++] = BASE64_CODES[t >> 18];
    out[o++] = BASE64_CODES[(t >> 12) & 63];
    out[o++] = two ? BASE64_CODES[(t >> 6) & 63] : PAD;
    out[o] = PAD;
  }
  return new TextDecoder('latin1').decode(out);
}

const STYLE = `
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 24px auto; max-width: 1280px; padding: 0 16px; color: #1a1a1a; background: #fff; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 20px; margin: 28px 0 12px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
ul.summary { margin: 0; padding-left: 18px; color: #444; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
figure { margin: 0; }
figure.tile img { width: 100%; height: auto; display: block; border: 1px solid #ccc; background: #000; }
figure.wide img { max-width: 100%; height: auto; display: block; border: 1px solid #eee; }
figcaption { font-size: 14px; margin-bottom: 6px; }
figcaption .caption { display: block; color: #555; font-size: 12px; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
`;

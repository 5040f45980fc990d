/**
 * chart.png: time per op per engine at one size (grouped bars, log scale) beside the whole
 * pipeline's time against pixel count (log-log lines), drawn with @napi-rs/canvas from results.json.
 */
import { headlineSize, adapterLabel } from './report.js';
import { formatNumber, medianOf } from './format.js';
import { type BenchResults, COLUMN_TITLES, type ColumnId, columnsOf } from './results.js';

const WIDTH = 1600;
const HEIGHT = 900;
const FONT = '"DejaVu Sans", "Liberation Sans", Lato, sans-serif';
/** Colour-blind-safe (Okabe–Ito) colours per column. */
const COLOURS: Record<ColumnId, string> = {
  cpu: '#0072B2',
  gpu: '#D55E00',
  'gpu-kernels': '#E69F00',
  scipy: '#009E73',
  opencv: '#CC79A7',
};

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of the canvas API the chart draws with (a subset of CanvasRenderingContext2D). */
type Context = Pick<
  CanvasRenderingContext2D,
  | 'fillRect'
  | 'fillText'
  | 'measureText'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'stroke'
  | 'arc'
  | 'fill'
  | 'save'
  | 'restore'
  | 'translate'
  | 'rotate'
  | 'setLineDash'
> & {
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  font: string;
  textAlign: CanvasTextAlign;
  textBaseline: CanvasTextBaseline;
};

/**
 * Draws the chart as PNG bytes. Returns null (with the reason) when @napi-rs/canvas cannot be
 * loaded, e.g. in the pruned install carried to a lent GPU; the chart is then drawn later from
 * results.json (`xray-gpu bench --from-json`).
 */
export async function renderChartPng(results: BenchResults): Promise<{ png: Uint8Array } | { png: null; reason: string }> {
  let canvasModule: typeof import('@napi-rs/canvas');
  try {
    canvasModule = await import('@napi-rs/canvas');
  } catch (error) {
    return { png: null, reason: `@napi-rs/canvas is not available (${error instanceof Error ? error.message : String(error)})` };
  }
  const canvas = canvasModule.createCanvas(WIDTH, HEIGHT);
  drawChart(canvas.getContext('2d') as unknown as Context, results);
  return { png: new Uint8Array(await canvas.encode('png')) };
}

function drawChart(ctx: Context, results: BenchResults): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  const columns = columnsOf(results.config);
  const size = headlineSize(results);

  ctx.fillStyle = '#111111';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.font = `bold 26px ${FONT}`;
  ctx.fillText('xray-gpu benchmark: time per op (lower is better, log scale)', 30, 20);
  ctx.font = `17px ${FONT}`;
  const { machine } = results;
  const gpu = results.config.engines.includes('gpu') ? adapterLabel(results) : 'not run';
  ctx.fillText(`CPU: ${machine.cpuModel}, ${machine.cores} cores · GPU: ${gpu}`, 30, 56);

  drawLegend(ctx, columns, { x: 30, y: 88, width: WIDTH - 60, height: 30 });
  if (size !== undefined) {
    drawBars(ctx, results, columns, size, { x: 20, y: 140, width: 950, height: HEIGHT - 170 });
  }
  drawScaling(ctx, results, columns, { x: 1010, y: 140, width: WIDTH - 1040, height: HEIGHT - 170 });
}

function drawLegend(ctx: Context, columns: ColumnId[], box: Box): void {
  ctx.font = `17px ${FONT}`;
  ctx.textBaseline = 'middle';
  let x = box.x;
  for (const column of columns) {
    ctx.fillStyle = COLOURS[column];
    ctx.fillRect(x, box.y + 6, 22, 18);
    ctx.fillStyle = '#111111';
    ctx.textAlign = 'left';
    ctx.fillText(COLUMN_TITLES[column], x + 30, box.y + 15);
    x += 30 + ctx.measureText(COLUMN_TITLES[column]).width + 36;
  }
}

/** Decades 10^a .. 10^b covering every value (at least one decade). */
function decades(values: number[]): [number, number] {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return [0, 1];
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.ceil(Math.log10(Math.max(...positive)));
  return [low, Math.max(high, low + 1)];
}

function decadeLabel(exponent: number): string {
  return exponent >= 0 ? String(10 ** exponent) : (10 ** exponent).toFixed(-exponent);
}

function drawBars(ctx: Context, results: BenchResults, columns: ColumnId[], size: number, box: Box): void {
  const cases = results.cases.filter((c) => c.size === size);
  const labelWidth = 250;
  const plot = { x: box.x + labelWidth, y: box.y + 34, width: box.width - labelWidth - 70, height: box.height - 70 };
  const values = cases.flatMap((c) => columns.map((column) => medianOf(c.columns[column]) ?? NaN));
  const [low, high] = decades(values.filter(Number.isFinite));
  const xOf = (ms: number) => plot.x + ((Math.log10(ms) - low) / (high - low)) * plot.width;

  ctx.fillStyle = '#111111';
  ctx.font = `bold 19px ${FONT}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(`Each op on a ${size}×${size} image (median ms)`, box.x, box.y);
  drawLogAxis(ctx, low, high, (e) => xOf(10 ** e), plot, 'x', 'milliseconds');

  const rowHeight = plot.height / Math.max(cases.length, 1);
  const barHeight = Math.min(16, (rowHeight - 10) / columns.length);
  cases.forEach((c, row) => {
    const top = plot.y + row * rowHeight + (rowHeight - barHeight * columns.length) / 2;
    ctx.fillStyle = '#111111';
    ctx.font = `16px ${FONT}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(c.op, plot.x - 12, plot.y + row * rowHeight + rowHeight / 2);
    columns.forEach((column, i) => {
      const ms = medianOf(c.columns[column]);
      const y = top + i * barHeight;
      ctx.font = `12px ${FONT}`;
      ctx.textAlign = 'left';
      if (ms === undefined || ms <= 0) {
        ctx.fillStyle = '#888888';
        ctx.fillText(c.columns[column]?.status === 'unsupported' ? 'n/a' : '–', plot.x + 4, y + barHeight / 2);
        return;
      }
      ctx.fillStyle = COLOURS[column];
      const end = Math.max(xOf(ms), plot.x + 1);
      ctx.fillRect(plot.x, y + 1, end - plot.x, barHeight - 2);
      ctx.fillStyle = '#333333';
      ctx.fillText(formatNumber(ms), end + 4, y + barHeight / 2);
    });
  });
}

function drawScaling(ctx: Context, results: BenchResults, columns: ColumnId[], box: Box): void {
  const cases = results.cases.filter((c) => c.op === 'pipeline').sort((a, b) => a.size - b.size);
  ctx.fillStyle = '#111111';
  ctx.font = `bold 19px ${FONT}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText('Whole tutorial pipeline vs pixel count', box.x, box.y);
  if (cases.length === 0) {
    ctx.font = `16px ${FONT}`;
    ctx.fillText('(the pipeline op was not run)', box.x, box.y + 40);
    return;
  }
  const plot = { x: box.x + 70, y: box.y + 34, width: box.width - 90, height: box.height - 70 };
  const megapixels = cases.map((c) => (c.size * c.size) / 1e6);
  const [xLow, xHigh] = decades(megapixels);
  const [yLow, yHigh] = decades(cases.flatMap((c) => columns.map((column) => medianOf(c.columns[column]) ?? NaN)).filter(Number.isFinite));
  const xOf = (mpx: number) => plot.x + ((Math.log10(mpx) - xLow) / (xHigh - xLow)) * plot.width;
  const yOf = (ms: number) => plot.y + plot.height - ((Math.log10(ms) - yLow) / (yHigh - yLow)) * plot.height;
  drawLogAxis(ctx, xLow, xHigh, (e) => xOf(10 ** e), plot, 'x', 'megapixels');
  drawLogAxis(ctx, yLow, yHigh, (e) => yOf(10 ** e), plot, 'y', 'milliseconds');

  for (const column of columns) {
    const points = cases
      .map((c) => ({ mpx: (c.size * c.size) / 1e6, ms: medianOf(c.columns[column]) }))
      .filter((p): p is { mpx: number; ms: number } => p.ms !== undefined && p.ms > 0);
    ctx.strokeStyle = COLOURS[column];
    ctx.fillStyle = COLOURS[column];
    ctx.lineWidth = 3;
    ctx.beginPath();
    points.forEach((p, i) => (i === 0 ? ctx.moveTo(xOf(p.mpx), yOf(p.ms)) : ctx.lineTo(xOf(p.mpx), yOf(p.ms))));
    ctx.stroke();
    for (const p of points) {
      ctx.beginPath();
      ctx.arc(xOf(p.mpx), yOf(p.ms), 5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  // Size labels under the points' x positions.
  ctx.fillStyle = '#555555';
  ctx.font = `12px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  for (const c of cases) ctx.fillText(`${c.size}²`, xOf((c.size * c.size) / 1e6), plot.y + plot.height - 4);
}

/** Gridlines and labels at each decade along one axis of `plot`. */
function drawLogAxis(ctx: Context, low: number, high: number, at: (exponent: number) => number, plot: Box, axis: 'x' | 'y', title: string): void {
  ctx.strokeStyle = '#dddddd';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#444444';
  ctx.font = `14px ${FONT}`;
  for (let e = low; e <= high; e++) {
    const p = at(e);
    ctx.beginPath();
    if (axis === 'x') {
      ctx.moveTo(p, plot.y);
      ctx.lineTo(p, plot.y + plot.height);
    } else {
      ctx.moveTo(plot.x, p);
      ctx.lineTo(plot.x + plot.width, p);
    }
    ctx.stroke();
    if (axis === 'x') {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(decadeLabel(e), p, plot.y + plot.height + 6);
    } else {
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(decadeLabel(e), plot.x - 8, p);
    }
  }
  ctx.strokeStyle = '#888888';
  ctx.beginPath();
  ctx.moveTo(plot.x, plot.y + plot.height);
  ctx.lineTo(plot.x + plot.width, plot.y + plot.height);
  ctx.moveTo(plot.x, plot.y);
  ctx.lineTo(plot.x, plot.y + plot.height);
  ctx.stroke();
  ctx.fillStyle = '#444444';
  if (axis === 'x') {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillText(title, plot.x + plot.width / 2, plot.y + plot.height + 26);
  } else {
    ctx.save();
    ctx.translate(plot.x - 55, plot.y + plot.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(title, 0, 0);
    ctx.restore();
  }
}

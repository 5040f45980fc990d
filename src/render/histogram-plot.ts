/**
 * A histogram as a PNG plot, in the spirit of matplotlib's `plt.hist(..., histtype='stepfilled')`:
 * a filled step outline over the bin edges, a framed plot area, ticks with labels, axis labels.
 */
import { encodePng, font, measuringContext, whiteCanvas, type Context2D } from './canvas.js';

/** Evenly spaced bins between min and max (as `ndimage.histogram(x, min, max, bins)` makes them). */
export interface BinRange {
  min: number;
  max: number;
}

/** Options of `histogramPlot`. */
export interface HistogramPlotOptions {
  title?: string;
  /** Default "Pixel intensity". */
  xlabel?: string;
  /** Default "Count". */
  ylabel?: string;
  /** Logarithmic count axis (empty bins are then not drawn). Default false. */
  logY?: boolean;
  /** Size of the whole figure in pixels (200..4000). Default 720 x 420. */
  width?: number;
  height?: number;
  /** Fill colour (CSS). Default matplotlib's first colour, #1f77b4. */
  color?: string;
}

const TICK_PX = 12;
const LABEL_PX = 14;
const TITLE_PX = 16;
const TICK_LENGTH = 5;
const PAD = 12;

/**
 * Plots `counts[i]` over the bin from `edges[i]` to `edges[i + 1]`, as PNG bytes. `bins` is either
 * the edges (counts.length + 1 increasing numbers) or a {min, max} range split into equal bins.
 */
export function histogramPlot(
  counts: ArrayLike<number>,
  bins: BinRange | ArrayLike<number>,
  options: HistogramPlotOptions = {},
): Uint8Array {
  const {
    title,
    xlabel = 'Pixel intensity',
    ylabel = 'Count',
    logY = false,
    width = 720,
    height = 420,
    color = '#1f77b4',
  } = options;
  if (counts.length === 0) throw new RangeError('a histogram plot needs at least one bin, got 0 counts');
  for (let i = 0; i < counts.length; i++) {
    if (!Number.isFinite(counts[i]) || counts[i] < 0) {
      throw new RangeError(`histogram counts must be finite and >= 0, got ${counts[i]} at bin ${i}`);
    }
  }
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 200 || value > 4000) {
      throw new RangeError(`histogram plot ${name} must be an integer from 200 to 4000 pixels, got ${value}`);
    }
  }
  const edges = binEdges(counts.length, bins);
  const maxCount = Math.max(...Array.from(counts));

  const yAxis = logY ? logAxis(counts, maxCount) : linearAxis(maxCount);
  const xTicks = niceTicks(edges[0], edges[edges.length - 1], 8);

  // Margins: room for the y tick labels (measured), the y label, the x ticks and label, the title.
  const measure = measuringContext();
  measure.font = font(TICK_PX);
  const yLabelWidth = Math.max(...yAxis.ticks.map((tick) => tickLabelWidth(measure, yAxis.label(tick), logY)));
  const left = PAD + LABEL_PX * 1.4 + yLabelWidth + TICK_LENGTH + 6;
  const right = width - PAD - 10;
  const top = PAD + (title ? TITLE_PX * 1.6 : 6);
  const bottom = height - PAD - LABEL_PX * 1.4 - TICK_PX * 1.3 - TICK_LENGTH - 6;
  const xToPx = (x: number) => left + ((x - edges[0]) / (edges[edges.length - 1] - edges[0])) * (right - left);
  const yToPx = (y: number) => bottom - yAxis.fraction(y) * (bottom - top);

  const { canvas, context } = whiteCanvas(width, height);

  // The histogram as one filled step polygon.
  context.beginPath();
  let drawing = false;
  for (let i = 0; i < counts.length; i++) {
    const visible = !logY || counts[i] > 0;
    if (!visible) {
      if (drawing) context.lineTo(xToPx(edges[i]), bottom);
      drawing = false;
      continue;
    }
    const y = yToPx(counts[i]);
    if (!drawing) context.moveTo(xToPx(edges[i]), bottom);
    context.lineTo(xToPx(edges[i]), y);
    context.lineTo(xToPx(edges[i + 1]), y);
    drawing = true;
  }
  if (drawing) context.lineTo(xToPx(edges[edges.length - 1]), bottom);
  context.closePath();
  context.fillStyle = color;
  context.fill();

  // Frame, ticks and tick labels.
  context.strokeStyle = '#000000';
  context.lineWidth = 1;
  context.strokeRect(Math.round(left) + 0.5, Math.round(top) + 0.5, Math.round(right - left), Math.round(bottom - top));
  context.fillStyle = '#000000';
  context.font = font(TICK_PX);
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const tick of xTicks) {
    const x = Math.round(xToPx(tick)) + 0.5;
    line(context, x, bottom, x, bottom + TICK_LENGTH);
    context.fillText(formatTick(tick, xTicks), x, bottom + TICK_LENGTH + 3);
  }
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const tick of yAxis.ticks) {
    const y = Math.round(yToPx(tick)) + 0.5;
    line(context, left - TICK_LENGTH, y, left, y);
    drawTickLabel(context, yAxis.label(tick), logY, left - TICK_LENGTH - 4, y);
  }

  // Axis labels and title.
  context.font = font(LABEL_PX);
  context.textAlign = 'center';
  context.textBaseline = 'bottom';
  context.fillText(xlabel, (left + right) / 2, height - PAD);
  context.save();
  context.translate(PAD, (top + bottom) / 2);
  context.rotate(-Math.PI / 2);
  context.textBaseline = 'top';
  context.fillText(ylabel, 0, 0);
  context.restore();
  if (title) {
    context.font = font(TITLE_PX, true);
    context.textBaseline = 'top';
    context.fillText(title, (left + right) / 2, PAD);
  }
  return encodePng(canvas);
}

function binEdges(binCount: number, bins: BinRange | ArrayLike<number>): Float64Array {
  if ('min' in bins && 'max' in bins && !('length' in bins)) {
    const { min, max } = bins;
    if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
      throw new RangeError(`histogram range must be finite with min < max, got min ${min}, max ${max}`);
    }
    // numpy.linspace(min, max, bins + 1)
    return Float64Array.from({ length: binCount + 1 }, (_, i) => (i === binCount ? max : min + ((max - min) * i) / binCount));
  }
  const edges = Float64Array.from(bins as ArrayLike<number>);
  if (edges.length !== binCount + 1) {
    throw new RangeError(`histogram edges must number counts + 1 = ${binCount + 1}, got ${edges.length}`);
  }
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1]) || !Number.isFinite(edges[i]) || !Number.isFinite(edges[0])) {
      throw new RangeError(`histogram edges must be finite and increasing, got ${edges[i - 1]} then ${edges[i]} at edge ${i}`);
    }
  }
  return edges;
}

interface CountAxis {
  ticks: number[];
  /** Position of a count along the axis, 0 at the bottom, 1 at the top. */
  fraction(count: number): number;
  /** Tick label: plain text, or "10^k" drawn with a superscript on log axes. */
  label(tick: number): string;
}

function linearAxis(maxCount: number): CountAxis {
  const ticks = niceTicks(0, Math.max(maxCount, 1), 6);
  // Headroom above the highest bar, as matplotlib's 5% margin; the top is the last tick if higher.
  const top = Math.max(ticks[ticks.length - 1], Math.max(maxCount, 1) * 1.05);
  return { ticks, fraction: (count) => count / top, label: (tick) => formatTick(tick, ticks) };
}

function logAxis(counts: ArrayLike<number>, maxCount: number): CountAxis {
  let minPositive = Infinity;
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0 && counts[i] < minPositive) minPositive = counts[i];
  const low = Number.isFinite(minPositive) ? Math.floor(Math.log10(minPositive)) : 0;
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(maxCount, 1) * 1.05)));
  const ticks = Array.from({ length: high - low + 1 }, (_, k) => 10 ** (low + k));
  return {
    ticks,
    fraction: (count) => (Math.log10(count) - low) / (high - low),
    label: (tick) => `10^${Math.round(Math.log10(tick))}`,
  };
}

/** Round-number ticks (1, 2, 2.5 or 5 times a power of ten) covering [min, max], about `target` of them. */
export function niceTicks(min: number, max: number, target: number): number[] {
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let tick = first; tick <= max + step * 1e-9; tick += step) ticks.push(Math.abs(tick) < step * 1e-9 ? 0 : tick);
  return ticks;
}

/** A tick value with as many decimals as the tick spacing needs (step 2.5 -> one decimal). */
function formatTick(value: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  return value.toFixed(decimals);
}

function line(context: Context2D, x0: number, y0: number, x1: number, y1: number): void {
  context.beginPath();
  context.moveTo(x0, y0);
  context.lineTo(x1, y1);
  context.stroke();
}

function tickLabelWidth(context: Context2D, label: string, superscript: boolean): number {
  if (!superscript) return context.measureText(label).width;
  const [base, exponent] = label.split('^');
  return context.measureText(base).width + context.measureText(exponent).width * 0.75;
}

/** Draws a right-aligned tick label; "10^k" is drawn as 10 with a raised, smaller k. */
function drawTickLabel(context: Context2D, label: string, superscript: boolean, x: number, y: number): void {
  if (!superscript) {
    context.fillText(label, x, y);
    return;
  }
  const [base, exponent] = label.split('^');
  const saved = context.font;
  context.font = font(Math.round(TICK_PX * 0.75));
  context.fillText(exponent, x, y - TICK_PX * 0.35);
  const exponentWidth = context.measureText(exponent).width;
  context.font = saved;
  context.fillText(base, x - exponentWidth, y);
}

/**
 * Drawing on canvases: an RGBA panel at its own pixel size (CSS scales it), and the histogram as a
 * filled step plot with axes, in the spirit of matplotlib's `plt.hist(..., histtype='stepfilled')`.
 */

export function drawRgba(canvas: HTMLCanvasElement, width: number, height: number, rgba: Uint8Array): void {
  canvas.width = width;
  canvas.height = height;
  const pixels = new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.byteLength);
  canvas.getContext('2d')!.putImageData(new ImageData(pixels, width, height), 0, 0);
}

const PAD = { left: 64, right: 16, top: 28, bottom: 44 };

/** counts[i] over [min + i w, min + (i + 1) w), w = (max - min) / bins; a constant image shows one bar at its value. */
export function drawHistogram(canvas: HTMLCanvasElement, counts: Uint32Array, min: number, max: number, title: string): void {
  const ratio = window.devicePixelRatio || 1;
  const cssWidth = canvas.clientWidth || 640;
  const cssHeight = canvas.clientHeight || 300;
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  const c = canvas.getContext('2d')!;
  c.setTransform(ratio, 0, 0, ratio, 0, 0);
  c.fillStyle = '#fff';
  c.fillRect(0, 0, cssWidth, cssHeight);
  if (min === max) {
    counts = Uint32Array.of(counts.reduce((sum, n) => sum + n, 0));
    min -= 0.5;
    max += 0.5;
  }
  const plotW = cssWidth - PAD.left - PAD.right;
  const plotH = cssHeight - PAD.top - PAD.bottom;
  const top = Math.max(1, ...counts);
  const x = (v: number) => PAD.left + ((v - min) / (max - min)) * plotW;
  const y = (n: number) => PAD.top + plotH - (n / top) * plotH;
  const binWidth = (max - min) / counts.length;

  c.beginPath();
  c.moveTo(x(min), y(0));
  counts.forEach((n, i) => {
    c.lineTo(x(min + i * binWidth), y(n));
    c.lineTo(x(min + (i + 1) * binWidth), y(n));
  });
  c.lineTo(x(max), y(0));
  c.closePath();
  c.fillStyle = '#1f77b4';
  c.fill();

  c.strokeStyle = '#000';
  c.lineWidth = 1;
  c.strokeRect(PAD.left, PAD.top, plotW, plotH);
  c.fillStyle = '#000';
  c.font = '11px sans-serif';
  c.textAlign = 'center';
  c.textBaseline = 'top';
  for (const v of niceTicks(min, max, 6)) {
    c.fillRect(x(v), PAD.top + plotH, 1, 4);
    c.fillText(formatTick(v), x(v), PAD.top + plotH + 6);
  }
  c.textAlign = 'right';
  c.textBaseline = 'middle';
  for (const n of niceTicks(0, top, 5)) {
    c.fillRect(PAD.left - 4, y(n), 4, 1);
    c.fillText(formatTick(n), PAD.left - 6, y(n));
  }
  c.textAlign = 'center';
  c.font = '12px sans-serif';
  c.fillText('Pixel intensity', PAD.left + plotW / 2, cssHeight - 12);
  c.fillText(title, PAD.left + plotW / 2, 12);
  c.save();
  c.translate(14, PAD.top + plotH / 2);
  c.rotate(-Math.PI / 2);
  c.fillText('Count', 0, 0);
  c.restore();
}

/** About `count` round tick values (1, 2 or 5 times a power of ten apart) inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e5) return v.toExponential(1);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

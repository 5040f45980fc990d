/**
 * The drawing surface for figures: @napi-rs/canvas (Skia), whose 2-D context follows the browser's
 * CanvasRenderingContext2D. It is the one place render/ depends on a Node add-on; a browser build
 * would swap this module for OffscreenCanvas.
 */
import { createRequire } from 'node:module';
import type * as Skia from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { Image2D } from '../image.js';
import { loadOptional } from '../platform/optional-package.js';
import { assertRgbaImage, grayToRgba, type RgbaImage } from './rgba-image.js';

export type { Canvas, SKRSContext2D as Context2D };

let skiaModule: typeof Skia | undefined;

/**
 * @napi-rs/canvas, loaded on first use: loading it costs about 0.15 s, which commands that draw no
 * figure (filter, stats, batch, info) should not pay at start-up. Its API is synchronous, so require().
 */
function skia(): typeof Skia {
  skiaModule ??= loadOptional('@napi-rs/canvas', 'drawing figures and plots', () => createRequire(import.meta.url)('@napi-rs/canvas') as typeof Skia);
  return skiaModule;
}

/**
 * Loads @napi-rs/canvas now: a command that draws figures calls this first, so that without the
 * optional package it fails with its one line before computing anything.
 */
export function requireCanvas(): void {
  skia();
}

/** Font stack for every text: DejaVu Sans is what matplotlib draws with (and what CI installs). */
export const FONT_FAMILY = '"DejaVu Sans", "Liberation Sans", Lato, sans-serif';

/** Where Debian's fonts-dejavu-core puts the font, registered explicitly if the system scan missed it. */
const DEJAVU_PATHS = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

let fontsChecked = false;

/** True when a font for figure text is available (else text would silently not appear). */
export function hasFigureFont(): boolean {
  if (!fontsChecked) {
    fontsChecked = true;
    const { GlobalFonts } = skia();
    if (!GlobalFonts.has('DejaVu Sans')) for (const path of DEJAVU_PATHS) GlobalFonts.registerFromPath(path);
  }
  return skia().GlobalFonts.families.length > 0;
}

function assertFont(): void {
  if (!hasFigureFont()) {
    throw new Error('no font is installed for figure text; install fonts-dejavu-core (apt-get install fonts-dejavu-core)');
  }
}

/** A context for measuring text before the figure's size is known. */
export function measuringContext(): SKRSContext2D {
  assertFont();
  return skia().createCanvas(1, 1).getContext('2d');
}

/** A canvas of the given size, filled white, with a font available for text. */
export function whiteCanvas(width: number, height: number): { canvas: Canvas; context: SKRSContext2D } {
  assertFont();
  const canvas = skia().createCanvas(Math.round(width), Math.round(height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  return { canvas, context };
}

/** `size`px font of the figure family; `bold` for titles. */
export function font(size: number, bold = false): string {
  return `${bold ? 'bold ' : ''}${size}px ${FONT_FAMILY}`;
}

/** What figures accept as a picture: RGBA, or 8-bit gray shown as is (0 black, 255 white). */
export type FigureImage = RgbaImage | Image2D<Uint8Array>;

export function toRgba(image: FigureImage, what = 'image'): RgbaImage {
  if ('rgba' in image) {
    assertRgbaImage(image, what);
    return image;
  }
  if (!(image.data instanceof Uint8Array) || image.data.length !== image.width * image.height) {
    throw new RangeError(`${what} must be RGBA or 8-bit gray with width x height pixels, got ${image.width}x${image.height} with ${image.data.length} values`);
  }
  return grayToRgba(image);
}

/** Draws an image scaled into the box (x, y, width, height), with high-quality downsampling. */
export function drawImage(context: SKRSContext2D, image: RgbaImage, x: number, y: number, width: number, height: number): void {
  const source = skia().createCanvas(image.width, image.height);
  const sourceContext = source.getContext('2d');
  const pixels = sourceContext.createImageData(image.width, image.height);
  pixels.data.set(image.rgba);
  sourceContext.putImageData(pixels, 0, 0);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, x, y, width, height);
}

/** Fits text into maxWidth: word-wrapped into at most `maxLines` lines, the last ellipsised if needed. */
export function wrapText(context: SKRSContext2D, text: string, maxWidth: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (context.measureText(candidate).width <= maxWidth || line === '') {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  const kept = lines.slice(0, maxLines);
  const lastIndex = kept.length - 1;
  if (lastIndex >= 0 && (lines.length > maxLines || context.measureText(kept[lastIndex]).width > maxWidth)) {
    let last = lines.length > maxLines ? `${kept[lastIndex]} ${lines[maxLines]}` : kept[lastIndex];
    while (last.length > 1 && context.measureText(`${last}…`).width > maxWidth) last = last.slice(0, -1);
    kept[lastIndex] = `${last.trimEnd()}…`;
  }
  return kept;
}

/** The canvas as PNG bytes. */
export function encodePng(canvas: Canvas): Uint8Array {
  return canvas.toBuffer('image/png');
}

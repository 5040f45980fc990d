/**
 * Outputs of a series (a patient's follow-ups): the animated GIF of the originals in order and a
 * side-by-side strip of the frames with their names.
 */
import { join } from 'node:path';
import type { Image2D } from '../image.js';
import { writeFileAtomic } from '../io/atomic.js';
import { encodeGrayGif } from '../io/gif.js';
import { scaleToUint8 } from '../io/image-file.js';
import { stripFigure } from '../render/figure.js';
import { thumbnail } from './batch/thumbnail.js';
import { REPORT_PREVIEW_SIDE } from './tutorial-outputs.js';

export interface SeriesFrame {
  name: string;
  image: Image2D;
}

export interface WrittenSeries {
  gifPath: string;
  stripPath?: string;
  gif: Uint8Array;
  strip?: Uint8Array;
  /** The GIF again with frames of at most REPORT_PREVIEW_SIDE a side, for a report to embed. */
  reportGif: Uint8Array;
}

/** 8-bit frames for a GIF or a figure: uint8 images as they are, other dtypes min-max scaled. */
export function toDisplayFrame(image: Image2D): Image2D<Uint8Array> {
  return image.data instanceof Uint8Array ? { width: image.width, height: image.height, data: image.data } : scaleToUint8(image);
}

/**
 * Encodes the frames as one GIF; images of different sizes are an error naming them. With `maxSide`,
 * frames larger than that are shrunk (block means) to at most `maxSide` pixels a side.
 */
export function seriesGif(frames: readonly SeriesFrame[], delayMs: number, maxSide?: number): Uint8Array {
  return encodeGrayGif(
    frames.map((frame) => (maxSide === undefined ? toDisplayFrame(frame.image) : thumbnail(toDisplayFrame(frame.image), maxSide))),
    { delayMs, names: frames.map((frame) => frame.name) },
  );
}

/** series.gif, and series-strip.png unless `strip` is false. */
export async function writeSeriesOutputs(
  frames: readonly SeriesFrame[],
  dir: string,
  delayMs: number,
  options: { strip?: boolean } = {},
): Promise<WrittenSeries> {
  const gif = seriesGif(frames, delayMs);
  const gifPath = join(dir, 'series.gif');
  await writeFileAtomic(gifPath, gif);
  const reportGif = seriesGif(frames, delayMs, REPORT_PREVIEW_SIDE);
  if (options.strip === false) return { gifPath, gif, reportGif };
  const strip = stripFigure(
    frames.map((frame) => toDisplayFrame(frame.image)),
    frames.map((frame) => frame.name),
    { title: `Follow-ups in order (${frames.length} images)` },
  );
  const stripPath = join(dir, 'series-strip.png');
  await writeFileAtomic(stripPath, strip);
  return { gifPath, stripPath, gif, strip, reportGif };
}

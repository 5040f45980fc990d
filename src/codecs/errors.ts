/** Errors about one image file: what is wrong with which file. */

/**
 * A file that cannot be read, decoded or written. The message is `${path}: ${problem}`, so a CLI can
 * print it as is; the underlying error (a codec, zlib, fs) is kept as `cause`.
 */
export class ImageFileError extends Error {
  /** The file as the caller named it (a path, or a name such as "<buffer>"). */
  readonly path: string;
  /** What is wrong, without the path. */
  readonly problem: string;

  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    // One line whatever the file holds: a problem quoting the file's bytes shows control characters escaped.
    const line = escapeControls(problem);
    super(`${path}: ${line}`, options);
    this.name = 'ImageFileError';
    this.path = path;
    this.problem = line;
  }
}

/**
 * The refusal of an image over the pixel limit, checked from a header before any pixel memory is
 * allocated (PNG's IHDR, JPEG's frame header); undefined when it fits.
 */
export function pixelLimitProblem(width: number, height: number, maxPixels: number): string | undefined {
  const pixels = width * height;
  if (pixels <= maxPixels) return undefined;
  return (
    `image is ${width}x${height} = ${pixels} pixels, more than the limit of ${maxPixels}; ` +
    'raise it with the maxPixels option (--max-pixels on the command line) if the file is genuine'
  );
}

/** "\n" for a newline, "\u0000" for NUL, ...: as JSON writes them. */
function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

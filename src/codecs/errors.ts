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
    super(`${path}: ${problem}`, options);
    this.name = 'ImageFileError';
    this.path = path;
    this.problem = problem;
  }
}

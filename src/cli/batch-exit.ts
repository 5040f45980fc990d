/**
 * How `batch` and `prepare` end with a non-zero status (some image failed, or a signal stopped the
 * run): thrown to the program, which prints the message and exits with `exitCode`. A module of its
 * own so that the program knows it without loading either command.
 */

/** A batch that ended with a non-zero status: the message says why, `exitCode` is the status to exit with. */
export class BatchExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'BatchExit';
  }
}

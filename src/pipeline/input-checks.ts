/**
 * Checks on a command's inputs and outputs made before anything is created: a missing input is an
 * error while --out does not exist yet, and an output folder that is also an input folder would make
 * the next run take this run's outputs as inputs.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ImageFileError } from '../io/errors.js';

/** Throws an ImageFileError naming the first input path that does not exist. */
export async function checkInputsExist(inputs: readonly string[]): Promise<void> {
  for (const input of inputs) {
    await stat(input).catch((error: unknown) => {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      // Other problems (permissions, ...) are the input's own failure later, the rest going on.
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new ImageFileError(input, 'no such file or directory', { cause: error });
    });
  }
}

/** Whether `out` names the same file as `input` (the same path, or a link to it). */
export async function sameFile(input: string, out: string): Promise<boolean> {
  if (resolve(input) === resolve(out)) return true;
  const [a, b] = await Promise.all([stat(input).catch(() => undefined), stat(out).catch(() => undefined)]);
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** Throws when `outDir` is one of the input directories (or the same directory by another path). */
export async function checkOutNotAnInput(inputs: readonly string[], outDir: string): Promise<void> {
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory() && (await sameFile(input, outDir))) {
      throw new RangeError(`--out must differ from the input directory ${input}: the next run would take this run's outputs as inputs`);
    }
  }
}

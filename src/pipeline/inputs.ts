/**
 * Expands the inputs a user names on the command line: files as given, directories as the image
 * files directly inside them (PNG, JPEG, DICOM by extension or, without one, by content), in natural order (…_2 before …_10), as a patient's follow-ups sort.
 * The order is the batch walk's (one definition of natural order for every command).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageKind } from '../codecs/decode-image.js';
import { ImageFileError } from '../io/errors.js';
import { IMAGE_KINDS, extensionsOf, isInputFile } from '../io/input-kinds.js';
import { compareNatural } from './batch/natural-order.js';

/**
 * The image files to process, in order. A path that is not a directory is kept as it is, even when
 * it cannot be read: reading it later fails for that input alone, naming the file, while the other
 * inputs go on. A directory without image files is an error naming it.
 */
export async function expandInputs(inputs: readonly string[], kinds: readonly ImageKind[] = IMAGE_KINDS): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const isDirectory = await stat(input).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!isDirectory) {
      files.push(input);
      continue;
    }
    let entries: string[];
    try {
      entries = await readdir(input);
    } catch (error) {
      throw new ImageFileError(input, `cannot list the directory: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const names = [];
    for (const name of entries) if (await isInputFile(join(input, name), name, kinds)) names.push(name);
    names.sort(compareNatural);
    if (names.length === 0) {
      throw new ImageFileError(input, `directory holds no image files (${extensionsOf(kinds).join(', ')}${kinds.includes('dicom') ? ', or DICOM without extension' : ''})`);
    }
    files.push(...names.map((name) => join(input, name)));
  }
  return files;
}

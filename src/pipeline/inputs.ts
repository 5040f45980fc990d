/**
 * Expands the inputs a user names on the command line: files as given, directories as the image
 * files directly inside them, in natural order (…_2 before …_10), as a patient's follow-ups sort.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ImageFileError } from '../io/errors.js';
import { IMAGE_EXTENSIONS } from '../io/image-file.js';

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares file names the way people count: "img2" before "img10". */
export function compareNatural(a: string, b: string): number {
  return naturalOrder.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw new ImageFileError(input, 'no such file or directory', { cause: error });
    }
    if (!info.isDirectory()) {
      files.push(input);
      continue;
    }
    const names = (await readdir(input))
      .filter((name) => (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()))
      .sort(compareNatural);
    if (names.length === 0) throw new ImageFileError(input, `directory holds no image files (${IMAGE_EXTENSIONS.join(', ')})`);
    files.push(...names.map((name) => join(input, name)));
  }
  return files;
}

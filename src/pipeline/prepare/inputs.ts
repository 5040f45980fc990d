/**
 * prepare's inputs: directories walked recursively (batch's walk and its --inputs kinds: *.png,
 * *.jpg, *.jpeg, *.dcm, *.dicom and DICOM without an extension by default, natural order per path
 * component) and files as given, in the order named. Each gets its path relative to the input root
 * (index.csv's `file`): the directory when one is named, else the deepest directory holding them all.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageKind } from '../../codecs/decode-image.js';
import { walkFilterOf } from '../../io/input-kinds.js';
import { walkFiles } from '../batch/walk.js';

export interface PrepareInput {
  /** Absolute path. */
  path: string;
  /** Relative to the root, `/`-separated. */
  relativePath: string;
}

/** Lists the inputs: files as named, and the files of `kinds` under each directory. */
export async function listInputs(
  inputs: readonly string[],
  skipDirectories: readonly string[],
  kinds: readonly ImageKind[],
): Promise<{ root: string; files: PrepareInput[] }> {
  const { extensions, acceptExtensionless } = walkFilterOf(kinds);
  if (inputs.length === 0) throw new RangeError('prepare needs at least one INPUT (a directory or an image file)');
  const named = await Promise.all(
    inputs.map(async (input) => {
      const absolute = path.resolve(input);
      const info = await stat(absolute).catch((error: unknown) => {
        throw new Error(`cannot read input ${input}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
      return { absolute, isDirectory: info.isDirectory() };
    }),
  );
  const root = commonDirectory(named.map((n) => (n.isDirectory ? n.absolute : path.dirname(n.absolute))));
  const files: PrepareInput[] = [];
  const seen = new Set<string>();
  const add = (absolute: string) => {
    const relativePath = path.relative(root, absolute).split(path.sep).join('/');
    if (seen.has(relativePath)) throw new RangeError(`input ${absolute} is named twice (as ${relativePath})`);
    seen.add(relativePath);
    files.push({ path: absolute, relativePath });
  };
  for (const { absolute, isDirectory } of named) {
    if (!isDirectory) add(absolute);
    else for await (const entry of walkFiles(absolute, { extensions, skipDirectories, acceptExtensionless })) add(path.resolve(entry.path));
  }
  if (files.length === 0) {
    const dicom = kinds.includes('dicom') ? ' or DICOM files without an extension' : '';
    throw new RangeError(`no ${extensions.join(', ')} files${dicom} under ${inputs.join(', ')}`);
  }
  return { root, files };
}

function commonDirectory(directories: readonly string[]): string {
  let common = directories[0];
  for (const directory of directories.slice(1)) {
    while (common !== directory && !directory.startsWith(common.endsWith(path.sep) ? common : common + path.sep)) common = path.dirname(common);
  }
  return common;
}

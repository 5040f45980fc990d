/**
 * Temporary files a killed run leaves behind. `writeFileAtomic` (src/io/atomic.ts) writes
 * `.<name>.<pid>.<12 hex digits>.tmp` next to `<name>` and renames it; a process killed between the
 * two (SIGKILL, power loss) leaves the temporary file. The next run removes the ones it owns.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { walkFiles } from './walk.js';

/** Must match the temporary name writeFileAtomic builds. */
const TEMP_NAME = /^\.(.+)\.\d+\.[0-9a-f]{12}\.tmp$/;

/** The final name a temporary file was meant to get, or undefined when `name` is not one. */
export function finalNameOfTemp(name: string): string | undefined {
  return TEMP_NAME.exec(name)?.[1];
}

/**
 * Removes the temporary files under `outputDir` whose final file `owns` (a relative, `/`-separated
 * path) says belongs to this run, e.g. to this shard; other shards writing to the same directory
 * keep theirs. Returns how many were removed.
 */
export async function sweepTempFiles(outputDir: string, owns: (finalRelativePath: string) => boolean): Promise<number> {
  let removed = 0;
  for await (const entry of walkFiles(outputDir, { extensions: ['.tmp'], onDirectoryError: () => {} })) {
    const name = path.posix.basename(entry.relativePath);
    const finalName = finalNameOfTemp(name);
    if (finalName === undefined) continue;
    const finalRelative = path.posix.join(path.posix.dirname(entry.relativePath), finalName);
    if (!owns(finalRelative)) continue;
    await rm(entry.path, { force: true });
    removed++;
  }
  return removed;
}

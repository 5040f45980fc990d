/**
 * A streaming recursive walk: files come out one at a time, depth-first, in natural order within each
 * directory, so a tree of 112,120 images is never listed whole. Memory is one directory listing per
 * level of depth. The order is stable across runs and machines (sharding and resume rely on it).
 */
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { compareNatural } from './natural-order.js';

export interface WalkEntry {
  /** The file's path as the walk reached it (root joined with the relative path). */
  path: string;
  /** Relative to the root, with `/` separators on every platform (manifest and shard key). */
  relativePath: string;
  /**
   * Another kept file in the same directory has the same name without its extension (x.png beside
   * x.PNG, or beside x.dcm): their outputs would collide, so they keep the extension (output-plan.ts).
   */
  sharesStem?: boolean;
}

export interface WalkOptions {
  /** File name endings to keep, compared case-insensitively, e.g. ['.png']. Default: every file. */
  extensions?: readonly string[];
  /** Directories not to enter (e.g. the output directory when it lies inside the input). */
  skipDirectories?: readonly string[];
  /**
   * Called when a directory below the root cannot be read; the walk goes on without it. Default:
   * the error is thrown. (An unreadable root always throws.)
   */
  onDirectoryError?: (relativePath: string, error: Error) => void;
  /**
   * Asked for files with no extension that `extensions` would drop (e.g. DICOM exports, recognised by
   * their first bytes): true keeps the file.
   */
  acceptExtensionless?: (path: string) => Promise<boolean>;
}

/**
 * Yields the files under `root`, depth-first, entries of each directory in natural order (files and
 * subdirectories interleaved by name). Symbolic links to files are followed; symbolic links to
 * directories are not, so a link cycle cannot make the walk endless.
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const rootInfo = await stat(root).catch((error: unknown) => {
    throw new Error(`cannot read input directory ${root}: ${messageOf(error)}`, { cause: error });
  });
  if (!rootInfo.isDirectory()) throw new Error(`input must be a directory, got a file: ${root}`);
  const extensions = options.extensions?.map((e) => e.toLowerCase());
  const skip = new Set((options.skipDirectories ?? []).map((d) => path.resolve(d)));
  yield* walkDirectory(root, '', { extensions, skip, onDirectoryError: options.onDirectoryError, acceptExtensionless: options.acceptExtensionless });
}

interface WalkState {
  extensions: string[] | undefined;
  skip: Set<string>;
  onDirectoryError: WalkOptions['onDirectoryError'];
  acceptExtensionless: WalkOptions['acceptExtensionless'];
}

async function* walkDirectory(directory: string, relative: string, state: WalkState): AsyncGenerator<WalkEntry> {
  let entries: { name: string; kind: 'file' | 'directory' }[];
  try {
    entries = await listDirectory(directory);
  } catch (error) {
    const wrapped = new Error(`cannot read directory ${directory}: ${messageOf(error)}`, { cause: error });
    if (relative === '' || !state.onDirectoryError) throw wrapped;
    state.onDirectoryError(relative, wrapped);
    return;
  }
  const byExtension = (name: string) => !state.extensions || state.extensions.some((ext) => name.toLowerCase().endsWith(ext));
  const keptNames = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'file') continue;
    if (byExtension(entry.name)) keptNames.add(entry.name);
    else if (state.acceptExtensionless && entry.name.lastIndexOf('.') <= 0 && (await state.acceptExtensionless(path.join(directory, entry.name)))) {
      keptNames.add(entry.name);
    }
  }
  const kept = (name: string) => keptNames.has(name);
  const stems = new Map<string, number>();
  for (const name of keptNames) stems.set(stemOfName(name), (stems.get(stemOfName(name)) ?? 0) + 1);
  for (const entry of entries) {
    const entryPath = path.join(directory, entry.name);
    const entryRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.kind === 'directory') {
      if (state.skip.has(path.resolve(entryPath))) continue;
      yield* walkDirectory(entryPath, entryRelative, state);
    } else if (kept(entry.name)) {
      yield (stems.get(stemOfName(entry.name)) ?? 0) > 1
        ? { path: entryPath, relativePath: entryRelative, sharesStem: true }
        : { path: entryPath, relativePath: entryRelative };
    }
  }
}

/** One directory's entries, sorted; symlinks resolved to file (kept) or directory (dropped). */
async function listDirectory(directory: string): Promise<{ name: string; kind: 'file' | 'directory' }[]> {
  const entries: { name: string; kind: 'file' | 'directory' }[] = [];
  const handle = await opendir(directory);
  for await (const dirent of handle) {
    if (dirent.isDirectory()) entries.push({ name: dirent.name, kind: 'directory' });
    else if (dirent.isFile()) entries.push({ name: dirent.name, kind: 'file' });
    else if (dirent.isSymbolicLink()) {
      const target = await stat(path.join(directory, dirent.name)).catch(() => undefined);
      // A dangling link is kept as a file so that the batch reports it instead of skipping it silently.
      if (!target || target.isFile()) entries.push({ name: dirent.name, kind: 'file' });
    }
  }
  return entries.sort((a, b) => compareNatural(a.name, b.name));
}

/** `x.png` -> `x`, `x` -> `x`: the name outputs are derived from. */
function stemOfName(name: string): string {
  const extension = path.posix.extname(name);
  return extension ? name.slice(0, -extension.length) : name;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

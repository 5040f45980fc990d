/**
 * The native add-ons (`webgpu`: Dawn; `@napi-rs/canvas`: Skia) are optional dependencies: installed
 * by default, left out by `npm install --omit=optional` (an embedder's light install). Whatever needs
 * one that is missing fails with one line saying what to install.
 *
 * XRAY_GPU_HIDE_PACKAGES (comma-separated package names) makes packages look missing, so that tests
 * and CI can check those lines without uninstalling anything.
 */

/** A missing optional package: the message says what needs it and how to install it. */
export class MissingPackageError extends Error {
  readonly packageName: string;

  constructor(packageName: string, neededFor: string, options?: { cause?: unknown }) {
    super(`${neededFor} needs the optional package \`${packageName}\`: npm install ${packageName}`, options);
    this.name = 'MissingPackageError';
    this.packageName = packageName;
  }
}

/** True when `error` says that `packageName` itself could not be found (not some module inside it). */
export function isNotFound(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error) || !('code' in error)) return false;
  if (error.code !== 'ERR_MODULE_NOT_FOUND' && error.code !== 'MODULE_NOT_FOUND') return false;
  return error.message.includes(`'${packageName}'`) || error.message.includes(`"${packageName}"`);
}

/** Whether XRAY_GPU_HIDE_PACKAGES names the package. */
export function isHidden(packageName: string, env: Record<string, string | undefined> = process.env): boolean {
  return (env.XRAY_GPU_HIDE_PACKAGES ?? '')
    .split(',')
    .map((name) => name.trim())
    .includes(packageName);
}

/**
 * Loads an optional package with `load`: a `MissingPackageError` when it is not installed (or hidden),
 * and an error naming it, with the cause kept, when it is installed but fails to load (e.g. a native
 * binary built for another platform).
 */
export function loadOptional<T>(packageName: string, neededFor: string, load: () => T): T {
  if (isHidden(packageName)) throw new MissingPackageError(packageName, neededFor);
  try {
    return load();
  } catch (error) {
    throw wrapLoadError(error, packageName, neededFor);
  }
}

/** `loadOptional` for packages loaded by `import()`. */
export async function importOptional<T>(packageName: string, neededFor: string, load: () => Promise<T>): Promise<T> {
  if (isHidden(packageName)) throw new MissingPackageError(packageName, neededFor);
  try {
    return await load();
  } catch (error) {
    throw wrapLoadError(error, packageName, neededFor);
  }
}

function wrapLoadError(error: unknown, packageName: string, neededFor: string): Error {
  if (isNotFound(error, packageName)) return new MissingPackageError(packageName, neededFor, { cause: error });
  const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new Error(`${neededFor} needs the optional package \`${packageName}\`, which is installed but failed to load: ${why}`, { cause: error });
}

/**
 * Faults a test can switch on through the environment, to check what a batch does when the disk
 * fills. Nothing here is read unless the variable is set; no user-facing option depends on it.
 *
 *   XRAY_TEST_MANIFEST_FULL_AT=N   the manifest's file system is full once the file holds N bytes:
 *                                  a write that would pass N writes what fits (a short write, as
 *                                  write(2) does on a full disk) and the next one fails with ENOSPC.
 */

/** The simulated manifest size limit in bytes, or undefined when no fault is asked for. */
export function simulatedManifestLimit(): number | undefined {
  const text = process.env.XRAY_TEST_MANIFEST_FULL_AT;
  if (text === undefined || text === '') return undefined;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`XRAY_TEST_MANIFEST_FULL_AT must be an integer >= 0, got ${JSON.stringify(text)}`);
  return limit;
}

/** An error shaped like the one Node gives for a write on a full disk. */
export function enospcError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path });
}

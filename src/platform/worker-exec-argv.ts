/**
 * Node flags for the worker threads of batch's and prepare's pools. Node 20.19 on lets require() load
 * ES modules, and piscina tries require() before import() for its task file. A worker ended while
 * require() is building that module's facade (a pool closed as a short run ends, its second worker
 * still loading) aborted the whole process twice in our test runs, in Node 20.20:
 *   FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal (ModuleWrap::CreateRequiredModuleFacade)
 * With require(esm) off in the workers, require() refuses the file at once and piscina import()s it,
 * which a termination ends cleanly. Where the flag does not exist (Node before 20.17) nothing changes.
 */
export function poolWorkerExecArgv(): string[] | undefined {
  const flag = '--no-experimental-require-module';
  if (!process.allowedNodeEnvironmentFlags.has('--experimental-require-module')) return undefined;
  // What a worker inherits by default, plus the flag.
  return [...process.execArgv, flag];
}

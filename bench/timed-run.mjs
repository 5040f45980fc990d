// One benchmark command run to completion, as the benches time whole processes: wall seconds, the
// user + sys CPU seconds /usr/bin/time reports (when it is there), and stdout (a peer's summary line).
// Shared by bench/batch/batch-bench.mjs and bench/prepare/prepare-bench.mjs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/**
 * Runs `command` (argv); `timeFile` is where /usr/bin/time writes, `cpus` a taskset CPU list to pin
 * it to. Throws with the command's stderr when it exits non-zero.
 */
export async function timedRun(command, { timeFile, cpus } = {}) {
  const useTime = existsSync('/usr/bin/time');
  const pinned = cpus === undefined ? command : ['taskset', '-c', cpus, ...command];
  const argv = useTime ? ['/usr/bin/time', '-f', '%U %S', '-o', timeFile, ...pinned] : pinned;
  const start = performance.now();
  const { code, stdout, stderr } = await new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (c) => resolvePromise({ code: c, stdout: out, stderr: err }));
  });
  const wallSeconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`${command.join(' ')} exited ${code}:\n${stderr}`);
  let cpuSeconds;
  if (useTime) {
    const [user, sys] = (await readFile(timeFile, 'utf8')).trim().split('\n').pop().split(' ').map(Number);
    cpuSeconds = user + sys;
  }
  return { wallSeconds, cpuSeconds, stdout };
}

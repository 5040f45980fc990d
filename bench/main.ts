#!/usr/bin/env node
/**
 * `xray-gpu bench` without the rest of the CLI: what bench/remote-gpu/run.sh starts on a lent GPU
 * (`node dist/bench/main.js [bench options]`), and usable anywhere after `npm run build`.
 */
import { CommanderError } from 'commander';
import { benchCommand } from '../src/cli/bench.js';

try {
  await benchCommand().exitOverride().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    for (let cause = error instanceof Error ? error.cause : undefined; cause; cause = cause instanceof Error ? cause.cause : undefined) {
      process.stderr.write(`  caused by: ${cause instanceof Error ? cause.message : String(cause)}\n`);
    }
  }
  process.exitCode = error instanceof CommanderError ? error.exitCode : 1;
}

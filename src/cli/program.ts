/**
 * The `xray-gpu` command line: the commands, and how errors end a run. Usage mistakes exit with 2,
 * failures while running with 1, each as one line `xray-gpu: <message>` on stderr (stack traces only
 * with --verbose or XRAY_DEBUG=1).
 */
import { Command, CommanderError } from 'commander';
import { registerAnimateCommand } from './animate.js';
import { BatchExit, registerBatchCommand } from './batch.js';
import { registerBenchCommand } from './bench.js';
import { registerConvertCommand } from './convert.js';
import { registerDemoCommand } from './demo.js';
import { registerFilterCommand } from './filter.js';
import { registerInfoCommand } from './info.js';
import { registerOpsCommand } from './ops.js';
import { registerPrepareCommand } from './prepare.js';
import { UsageError } from './options.js';
import { registerRunCommand } from './run.js';
import { registerStatsCommand } from './stats.js';
import { packageVersion } from './version.js';

export const PROGRAM_NAME = 'xray-gpu';

export function createProgram(): Command {
  const program = new Command(PROGRAM_NAME)
    .description('Chest X-ray image processing with WebGPU compute shaders, matching scipy.ndimage')
    .version(packageVersion())
    .option('--verbose', 'print stack traces on errors (also XRAY_DEBUG=1)')
    // Set before the commands are added so that they inherit them.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${PROGRAM_NAME}: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError(`(run "${PROGRAM_NAME} --help" for usage)`);
  registerFilterCommand(program);
  registerStatsCommand(program);
  registerConvertCommand(program);
  registerInfoCommand(program);
  registerOpsCommand(program);
  registerRunCommand(program);
  registerAnimateCommand(program);
  registerDemoCommand(program);
  registerBatchCommand(program);
  registerBenchCommand(program);
  registerPrepareCommand(program);
  for (const command of program.commands) command.showHelpAfterError(usageHint(command.name()));
  return program;
}

/** Runs the command line `argv` (as process.argv); returns the exit status. Never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const verbose = argv.includes('--verbose') || process.env.XRAY_DEBUG === '1';
    const command = program.commands.find((c) => argv.slice(2).includes(c.name()));
    return reportError(error, verbose, command?.name());
  }
}

function usageHint(command?: string): string {
  return `(run "${PROGRAM_NAME}${command ? ` ${command}` : ''} --help" for usage)`;
}

function reportError(error: unknown, verbose: boolean, command: string | undefined): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help / version) already.
    return error.exitCode === 0 ? 0 : 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${PROGRAM_NAME}: ${message}\n`);
  if (verbose) {
    for (let e: unknown = error; e !== undefined; e = e instanceof Error ? e.cause : undefined) {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      if (e instanceof Error && e.cause !== undefined) process.stderr.write('caused by:\n');
    }
  }
  if (error instanceof UsageError) {
    process.stderr.write(`${usageHint(command)}\n`);
    return 2;
  }
  // A batch that failed images exits 1; one stopped by SIGINT / SIGTERM exits 130 / 143.
  if (error instanceof BatchExit) return error.exitCode;
  return 1;
}

/**
 * The `xray-gpu` command line: the commands, and how errors end a run. Usage mistakes exit with 2,
 * failures while running with 1, each as one line `xray-gpu: <message>` on stderr (stack traces only
 * with --verbose or XRAY_DEBUG=1).
 */
import { Command, CommanderError } from 'commander';
import { BatchExit } from './batch-exit.js';
import { UsageError } from './options.js';
import { packageVersion } from './version.js';

export const PROGRAM_NAME = 'xray-gpu';

type Register = (program: Command) => unknown;

/**
 * The commands, in help order, each loaded on first use: a run loads only its own command's modules
 * (all of them together take about 0.3 s of start-up, which a short run or a pool of processes feels).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  filter: async () => (await import('./filter.js')).registerFilterCommand,
  stats: async () => (await import('./stats.js')).registerStatsCommand,
  convert: async () => (await import('./convert.js')).registerConvertCommand,
  info: async () => (await import('./info.js')).registerInfoCommand,
  ops: async () => (await import('./ops.js')).registerOpsCommand,
  run: async () => (await import('./run.js')).registerRunCommand,
  animate: async () => (await import('./animate.js')).registerAnimateCommand,
  demo: async () => (await import('./demo.js')).registerDemoCommand,
  batch: async () => (await import('./batch.js')).registerBatchCommand,
  bench: async () => (await import('./bench.js')).registerBenchCommand,
  prepare: async () => (await import('./prepare.js')).registerPrepareCommand,
};

/**
 * The program with the command that `argv` names (as process.argv), or with every command when it
 * names none it knows (top-level help, a typo that commander answers with suggestions).
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command(PROGRAM_NAME)
    .description('Chest X-ray image processing with WebGPU compute shaders, matching scipy.ndimage')
    .version(packageVersion())
    .option('--verbose', 'print stack traces on errors (also XRAY_DEBUG=1)')
    // Set before the commands are added so that they inherit them.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${PROGRAM_NAME}: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError(`(run "${PROGRAM_NAME} --help" for usage)`);
  // The global options take no value, so the first word that is not an option is the command.
  const named = argv.slice(2).find((word) => !word.startsWith('-'));
  const versionOnly = named === undefined && argv.some((word) => word === '--version' || word === '-V');
  const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : versionOnly ? [] : Object.keys(COMMANDS);
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]()));
  for (const register of registers) register(program);
  for (const command of program.commands) command.showHelpAfterError(usageHint(command.name()));
  return program;
}

/** Runs the command line `argv` (as process.argv); returns the exit status. Never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  let program: Command | undefined;
  try {
    program = await createProgram(argv);
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    const verbose = argv.includes('--verbose') || process.env.XRAY_DEBUG === '1';
    const command = program?.commands.find((c) => argv.slice(2).includes(c.name()));
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

/** `xray-gpu demo` (and `npm start`): the tutorial on a built-in synthetic chest-radiograph series. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import { runDemo } from '../pipeline/demo.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { engineOption, logToStderr, parseNonNegativeInteger, parsePositiveInteger } from './options.js';
import { requireCanvas } from '../render/canvas.js';

interface DemoFlags {
  out: string;
  engine: EngineChoice;
  size: number;
  followUps: number;
  seed: number;
  quiet?: boolean;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the whole tutorial on a built-in synthetic series (9 follow-ups, a growing nodule) and write every output')
    .option('--out <dir>', 'output folder', 'xray-gpu-demo')
    .addOption(engineOption())
    .addOption(new Option('--size <px>', 'image width and height, 64..8192').argParser(parseDemoSize).default(1024))
    .addOption(new Option('--follow-ups <n>', 'images in the series').argParser(parsePositiveInteger).default(9))
    .addOption(new Option('--seed <n>', 'seed of the synthetic anatomy and noise').argParser(parseNonNegativeInteger).default(11))
    .option('--quiet', 'print only the summary (engine, times, where the outputs are) and errors')
    .action(async (flags: DemoFlags) => {
      const log = flags.quiet ? () => {} : logToStderr;
      requireCanvas(); // figures: fail now, with one line, if @napi-rs/canvas is not installed
      const started = performance.now();
      // The summary below names the engine; without --quiet the choice is also said as it is made.
      const engine = await selectEngine(flags.engine, { log });
      try {
        const summary = await runDemo({
          outDir: flags.out,
          engine,
          size: flags.size,
          followUps: flags.followUps,
          seed: flags.seed,
          log,
          logError: logToStderr,
        });
        const total = (performance.now() - started) / 1000;
        const firstDone = summary.outcomes.find((outcome) => outcome.dir !== undefined);
        const lines = [
          `engine: ${engine.description}`,
          'time per stage (all images):',
          ...[...summary.stageMs].map(([stage, ms]) => `  ${stage.padEnd(22)} ${(ms / 1000).toFixed(2)} s`),
          `total: ${total.toFixed(2)} s`,
          `outputs: ${flags.out}${summary.outcomes.length > 1 ? ' (one folder per image)' : ''}`,
          ...(summary.series ? [`series GIF: ${summary.series.gifPath}`, `follow-up strip: ${summary.series.stripPath}`] : []),
          ...(firstDone?.dir !== undefined ? [`comparison figure: ${join(firstDone.dir, 'comparison.png')}`] : []),
          ...(summary.reportPath !== undefined ? [`report: ${summary.reportPath}`] : []),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        if (summary.failed > 0) throw new Error(`${summary.failed} of ${summary.outcomes.length} synthetic images (or the series outputs) failed; see above`);
      } finally {
        await engine.dispose();
        releaseNodeGpu();
      }
    });
}

/** The phantom's size limits, checked while parsing so a bad value is a usage error (exit 2). */
function parseDemoSize(value: string): number {
  const size = parsePositiveInteger(value);
  if (size < 64 || size > 8192) throw new InvalidArgumentError(`expected an integer from 64 to 8192, got "${value}".`);
  return size;
}

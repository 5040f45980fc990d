/** `xray-gpu animate INPUTS...|DIR --out FILE.gif`: a series as an animated GIF, frames in natural order. */
import { type Command, Option } from 'commander';
import { basename } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { readImageFile } from '../io/image-file.js';
import { expandInputs } from '../pipeline/inputs.js';
import { seriesGif } from '../pipeline/series-outputs.js';
import { UsageError, logToStderr, maxPixelsOption, parseNonNegativeInteger } from './options.js';

interface AnimateFlags {
  out?: string;
  duration: number;
  quiet?: boolean;
  maxPixels?: number;
}

export function registerAnimateCommand(program: Command): void {
  program
    .command('animate')
    .description('write images (e.g. a patient\'s follow-ups) as one animated GIF, in natural filename order')
    .argument('<inputs...>', 'images of one size, or a directory of them')
    .option('--out <file>', 'FILE.gif (required)')
    .addOption(new Option('--duration <ms>', 'time each frame is shown').argParser(parseNonNegativeInteger).default(500))
    .option('--quiet', 'print nothing but errors')
    .addOption(maxPixelsOption())
    .action(async (inputs: string[], flags: AnimateFlags) => {
      if (flags.out === undefined || !flags.out.toLowerCase().endsWith('.gif')) {
        throw new UsageError(`--out is required and must end in .gif, got ${flags.out === undefined ? 'nothing' : `"${flags.out}"`}`);
      }
      const files = await expandInputs(inputs);
      const frames = [];
      for (const path of files) frames.push({ name: basename(path), image: await readImageFile(path, { maxPixels: flags.maxPixels }) });
      await writeFileAtomic(flags.out, seriesGif(frames, flags.duration));
      if (!flags.quiet) logToStderr(`${flags.out}: ${frames.length} frames`);
    });
}

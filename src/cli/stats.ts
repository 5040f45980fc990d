/** `xray-gpu stats INPUT [--json] [--range MIN,MAX] [--bins N]`: pixel statistics and histogram. */
import { type Command, Option } from 'commander';
import { dtypeOf } from '../image.js';
import { readImageFile } from '../io/image-file.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { type InputFlags, dicomValuesOption, engineOption, frameOption, logToStderr, maxPixelsOption, parsePositiveInteger, parseRange, readOptionsOf } from './options.js';

interface StatsOptions extends InputFlags {
  json?: boolean;
  range?: [number, number];
  bins: number;
  engine: EngineChoice;
  maxPixels?: number;
}

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description("size, dtype, min, max, mean, median and histogram of an image (the tutorial's ndimage.histogram)")
    .argument('<input>', 'a PNG, JPEG, DICOM or 2-D .npy image')
    .option('--json', 'print one JSON object instead of text')
    .addOption(new Option('--range <min,max>', "histogram range (default: the image's min and max, as the tutorial)").argParser(parseRange))
    .addOption(new Option('--bins <n>', 'histogram bins').argParser(parsePositiveInteger).default(256))
    .addOption(engineOption())
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .action(async (input: string, options: StatsOptions) => runStats(input, options));
}

async function runStats(input: string, options: StatsOptions): Promise<void> {
  const image = await readImageFile(input, readOptionsOf(options));
  const engine = await selectEngine(options.engine, { log: logToStderr });
  try {
    const stats = await engine.stats(image);
    const [min, max] = options.range ?? [stats.min, stats.max];
    const counts = await engine.histogram(image, { min, max, bins: options.bins });
    const report = {
      file: input,
      width: image.width,
      height: image.height,
      dtype: dtypeOf(image.data),
      ...stats,
      histogram: { min, max, bins: options.bins, counts: Array.from(counts) },
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      process.stdout.write(
        [
          `file      ${report.file}`,
          `size      ${report.width}x${report.height} (width x height)`,
          `dtype     ${report.dtype}`,
          `min       ${report.min}`,
          `max       ${report.max}`,
          `mean      ${report.mean}`,
          `median    ${report.median}`,
          `histogram ${report.histogram.bins} bins over [${min}, ${max}]:`,
          report.histogram.counts.join(' '),
          '',
        ].join('\n'),
      );
    }
  } finally {
    await engine.dispose();
    releaseNodeGpu();
  }
}

/** `xray-gpu stats INPUT [--json] [--range MIN,MAX] [--bins N]`: pixel statistics and histogram. */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { STATS_BYTES_PER_PIXEL, memoryBudgetCheck } from '../filters/memory.js';
import { isDicom, readDicomAttributes } from '../codecs/dicom/index.js';
import { ImageFileError } from '../io/errors.js';
import { readImageFile } from '../io/image-file.js';
import { defaultMemoryBudget, maxFileSizeOption, maxMemoryOption } from './limit-options.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { type DicomStatsAttributes, dicomAttributeLines, dicomStatsAttributes } from '../stats/dicom-attributes.js';
import { computeStatsRecord, roundStat, statsRecordJson } from '../stats/record.js';
import { type InputFlags, dicomValuesOption, engineOption, frameOption, logToStderr, maxPixelsOption, parsePositiveInteger, parseRange, readOptionsOf } from './options.js';

interface StatsOptions extends InputFlags {
  json?: boolean;
  identifying?: boolean;
  range?: [number, number];
  bins: number;
  engine: EngineChoice;
  maxPixels?: number;
  maxFileSize?: number;
  maxMemory?: number;
}

export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description("size, dtype, min, max, mean, median, std, percentiles and histogram of an image (the tutorial's ndimage.histogram); --json: schema xray-gpu/stats@1, docs/stats.md")
    .argument('<input>', 'a PNG, JPEG, DICOM or 2-D .npy image')
    .option('--json', 'print one JSON object instead of text')
    .option('--identifying', 'DICOM inputs: also report the identifying attributes (patient name and ID, birth date, study date, UIDs, accession number)')
    .addOption(new Option('--range <min,max>', "histogram range (default: the image's min and max, as the tutorial)").argParser(parseRange))
    .addOption(new Option('--bins <n>', 'histogram bins').argParser(parsePositiveInteger).default(256))
    .addOption(engineOption())
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .addOption(maxFileSizeOption())
    .addOption(maxMemoryOption())
    .action(async (input: string, options: StatsOptions) => runStats(input, options));
}

async function runStats(input: string, options: StatsOptions): Promise<void> {
  const image = await readImageFile(input, {
    ...readOptionsOf(options),
    maxFileBytes: options.maxFileSize,
    checkSize: memoryBudgetCheck('stats', STATS_BYTES_PER_PIXEL, options.maxMemory ?? defaultMemoryBudget()),
  });
  const engine = await selectEngine(options.engine, { log: logToStderr });
  try {
    const range = options.range === undefined ? {} : { min: options.range[0], max: options.range[1] };
    // A failure here is about this file's values (NaN, infinities: no histogram range): name the file.
    const report = await computeStatsRecord(engine, image, { file: input, histogram: { ...range, bins: options.bins } }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      // The histogram's range comes from the image's min and max, which NaN or infinities leave undefined.
      const hint = options.range === undefined && error instanceof RangeError ? ' (the image holds NaN or infinite values); give one with --range MIN,MAX' : '';
      throw new ImageFileError(input, `${message}${hint}`, { cause: error });
    });
    const dicom = await dicomAttributesOf(input, options.identifying === true);
    if (dicom) report.dicom = dicom;
    const { min, max } = report.histogram;
    if (options.json) {
      process.stdout.write(`${statsRecordJson(report)}\n`);
    } else {
      process.stdout.write(
        [
          `file      ${report.file}`,
          `size      ${report.width}x${report.height} (width x height)`,
          `dtype     ${report.dtype}`,
          `min       ${report.min}`,
          `max       ${report.max}`,
          `mean      ${roundStat(report.mean)}`,
          `median    ${roundStat(report.median)}`,
          `std       ${roundStat(report.std)}`,
          `percentiles ${Object.entries(report.percentiles).map(([p, v]) => `${p} ${roundStat(v)}`).join(', ')}`,
          `histogram ${report.histogram.bins} bins over [${min}, ${max}]:`,
          report.histogram.counts.join(' '),
          ...(dicom ? dicomAttributeLines(dicom) : []),
          '',
        ].join('\n'),
      );
    }
  } finally {
    await engine.dispose();
    releaseNodeGpu();
  }
}

/** A DICOM input's header attributes for the report (the file was read and decoded already, so it is readable). */
async function dicomAttributesOf(input: string, identifying: boolean): Promise<DicomStatsAttributes | undefined> {
  const bytes = new Uint8Array(await readFile(input));
  return isDicom(bytes) ? dicomStatsAttributes(readDicomAttributes(bytes, input), { identifying }) : undefined;
}

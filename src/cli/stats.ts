/** `xray-gpu stats INPUTS... [--json] [--range MIN,MAX] [--bins N] [--identifying]`: pixel statistics and histogram of each image (and a DICOM's header attributes). */
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { STATS_BYTES_PER_PIXEL, memoryBudgetCheck } from '../filters/memory.js';
import { isDicom, readDicomAttributes } from '../codecs/dicom/index.js';
import { ImageFileError } from '../io/errors.js';
import { readImageFile } from '../io/image-file.js';
import { defaultMemoryBudget, maxFileSizeOption, maxMemoryOption } from './limit-options.js';
import { releaseNodeGpu } from '../platform/node-gpu.js';
import type { Engine } from '../engine.js';
import { type EngineChoice, selectEngine } from '../select-engine.js';
import { type DicomStatsAttributes, dicomAttributeLines, dicomStatsAttributes } from '../stats/dicom-attributes.js';
import { type StatsRecord, computeStatsRecord, roundStat, statsRecordJson } from '../stats/record.js';
import { expandInputs } from '../pipeline/inputs.js';
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
    .argument('<inputs...>', 'PNG, DICOM, JPEG or 2-D .npy images, or directories of them')
    .option('--json', 'print one JSON record per input, one per line (JSON Lines), instead of text')
    .option('--identifying', 'DICOM inputs: also report the identifying attributes (patient name and ID, birth date, study date, UIDs, accession number)')
    .addOption(new Option('--range <min,max>', "histogram range (default: the image's min and max, as the tutorial)").argParser(parseRange))
    .addOption(new Option('--bins <n>', 'histogram bins').argParser(parsePositiveInteger).default(256))
    .addOption(engineOption())
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .addOption(maxFileSizeOption())
    .addOption(maxMemoryOption())
    .action(async (inputs: string[], options: StatsOptions) => runStats(inputs, options));
}

async function runStats(inputs: string[], options: StatsOptions): Promise<void> {
  const files = await expandInputs(inputs);
  // Chosen once the first input has been read, so a bad input fails before any engine line.
  let engine: Engine | undefined;
  const failed: string[] = [];
  try {
    for (const [index, file] of files.entries()) {
      try {
        const image = await readImageFile(file, {
          ...readOptionsOf(options),
          maxFileBytes: options.maxFileSize,
          checkSize: memoryBudgetCheck('stats', STATS_BYTES_PER_PIXEL, options.maxMemory ?? defaultMemoryBudget()),
        });
        const range = options.range === undefined ? {} : { min: options.range[0], max: options.range[1] };
        engine ??= await selectEngine(options.engine, { log: logToStderr });
        const record = await computeStatsRecord(engine, image, { file, histogram: { ...range, bins: options.bins } }).catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          // The histogram's range comes from the image's min and max, which NaN or infinities leave undefined.
          const hint = options.range === undefined && error instanceof RangeError ? ' (the image holds NaN or infinite values); give one with --range MIN,MAX' : '';
          throw new ImageFileError(file, `${message}${hint}`, { cause: error });
        });
        const dicom = await dicomAttributesOf(file, options.identifying === true);
        if (dicom) record.dicom = dicom;
        // Text records are separated by a blank line; JSON records are one per line.
        process.stdout.write(options.json ? `${statsRecordJson(record)}\n` : `${index > 0 ? '\n' : ''}${formatStatsText(record)}`);
      } catch (error) {
        // One input alone: its error is the command's. Several: each failure is said, the others go on.
        if (files.length === 1) throw error;
        failed.push(file);
        logToStderr(`xray-gpu: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await engine?.dispose();
    releaseNodeGpu();
  }
  if (failed.length > 0) throw new Error(`${failed.length} of ${files.length} inputs failed: ${failed.join(', ')}`);
}

function formatStatsText(report: StatsRecord): string {
  const { min, max } = report.histogram;
  return [
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
    ...(report.dicom ? dicomAttributeLines(report.dicom) : []),
    '',
  ].join('\n');
}

/** A DICOM input's header attributes for the report (the file was read and decoded already, so it is readable). */
async function dicomAttributesOf(input: string, identifying: boolean): Promise<DicomStatsAttributes | undefined> {
  const bytes = new Uint8Array(await readFile(input));
  return isDicom(bytes) ? dicomStatsAttributes(readDicomAttributes(bytes, input), { identifying }) : undefined;
}

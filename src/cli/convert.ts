/**
 * `xray-gpu convert INPUT --out FILE.png|FILE.npy [--dicom-values stored|modality|display] [--frame N]`:
 * any readable image (PNG, JPEG, DICOM, .npy) to a PNG or a NumPy array, values kept where the format can.
 */
import type { Command } from 'commander';
import { writeFileAtomic } from '../io/atomic.js';
import { ImageFileError } from '../io/errors.js';
import { readImageFile } from '../io/image-file.js';
import { encodeNpy } from '../codecs/npy.js';
import { encodePng } from '../io/png.js';
import { pngPixelsOf } from '../pipeline/convert.js';
import {
  type InputFlags,
  UsageError,
  dicomValuesOption,
  frameOption,
  logToStderr,
  maxPixelsOption,
  readOptionsOf,
} from './options.js';

interface ConvertFlags extends InputFlags {
  out?: string;
  quiet?: boolean;
}

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('any readable image (PNG, JPEG, DICOM, .npy) to a PNG (8-bit, or 16-bit where the values fit) or a .npy array of the values')
    .argument('<input>', 'a PNG, JPEG, DICOM (any supported transfer syntax) or 2-D .npy file')
    .option('--out <file>', 'FILE.npy (the values in their own dtype: integers for stored, float32 for modality, uint8 for display) or FILE.png (required)')
    .addOption(maxPixelsOption())
    .addOption(dicomValuesOption())
    .addOption(frameOption())
    .option('--quiet', 'print nothing but errors')
    .action(async (input: string, flags: ConvertFlags) => convert(input, flags));
}

async function convert(input: string, flags: ConvertFlags): Promise<void> {
  const out = flags.out;
  if (out === undefined) throw new UsageError('--out is required: FILE.png or FILE.npy');
  const extension = out.slice(out.lastIndexOf('.')).toLowerCase();
  if (extension !== '.npy' && extension !== '.png') throw new UsageError(`--out must end in .png or .npy, got "${out}"`);
  const image = await readImageFile(input, readOptionsOf(flags));
  let bytes: Uint8Array;
  if (extension === '.npy') {
    // modality values are float64 in the decoder; .npy keeps float32, as every float output of xray-gpu.
    const data = image.data instanceof Float64Array ? Float32Array.from(image.data) : image.data;
    bytes = encodeNpy([image.height, image.width], data);
  } else {
    const { pixels, scaled } = pngPixelsOf(image);
    if (scaled && !flags.quiet) {
      logToStderr(`convert: ${input}: values ${scaled.min}..${scaled.max} do not fit a PNG's levels; wrote them min-max scaled to 8 bits (use .npy for the values)`);
    }
    bytes = encodePng(pixels);
  }
  try {
    await writeFileAtomic(out, bytes);
  } catch (error) {
    throw new ImageFileError(out, `cannot write: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

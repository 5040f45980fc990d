/**
 * The settings that decide what a batch's outputs contain, kept in OUTDIR/batch-config.json. `--resume`
 * trusts existing outputs, so it refuses to run when they were made with other settings (e.g. other
 * ops or another PNG level) rather than mixing two kinds of output in one tree.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../io/atomic.js';
import type { OpRequest } from '../../filters/ops.js';

export const RUN_CONFIG_FILE = 'batch-config.json';

export interface RunConfig {
  /** Output label -> the request it computes. */
  outputs: { label: string; request: OpRequest }[];
  format: string;
  /** zlib level of PNG outputs: 0..9, "default" for the encoder's default, null for npy. */
  pngLevel: number | 'default' | null;
  /** Whether per-patient series (GIF + stats) are written, and from which metadata. */
  series: boolean;
  /** The kinds of input file the walk took, and how DICOM inputs were read (their values and frame). */
  inputs: string[];
  dicomValues: string;
  frame: number;
}

/**
 * Compares `config` with the one saved in `outputDir` (if any) and saves it. With `resume`, a saved
 * config that differs is an error naming the difference; without, the new config replaces it.
 */
export async function checkAndSaveRunConfig(outputDir: string, config: RunConfig, resume: boolean): Promise<void> {
  const file = path.join(outputDir, RUN_CONFIG_FILE);
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (resume) {
    const saved = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new Error(`cannot read ${file}`, { cause: error });
    });
    if (saved !== undefined && saved !== text) {
      checkJson(saved, file);
      throw new Error(
        `--resume: ${file} says the outputs there were made with other settings; ` +
          `saved ${oneLine(saved)}, now ${oneLine(text)}. Use another --out, or run without --resume to redo them`,
      );
    }
    if (saved === text) return;
  }
  await writeFileAtomic(file, Buffer.from(text, 'utf8'));
}

/** A saved config that does not parse (cut short, edited by hand) is an error saying what to do. */
function checkJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new Error(
      `--resume: ${file} is cut short or corrupt (${error instanceof Error ? error.message : String(error)}), so the settings of the outputs there are unknown; ` +
        `delete it if they were made with the settings given now, or run without --resume to redo them`,
      { cause: error },
    );
  }
}

function oneLine(json: string): string {
  return JSON.stringify(JSON.parse(json));
}

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
 * `fileName` lets another command (prepare) keep its own settings file the same way.
 */
export async function checkAndSaveRunConfig(outputDir: string, config: RunConfig | object, resume: boolean, fileName = RUN_CONFIG_FILE): Promise<void> {
  const file = path.join(outputDir, fileName);
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (resume) {
    const saved = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new Error(`cannot read ${file}`, { cause: error });
    });
    if (saved !== undefined && saved !== text) {
      checkJson(saved, file);
      throw new Error(
        `--resume: ${file} says the outputs there were made with other settings: ` +
          `${configDifferences(parseSaved(saved, file), config).join('; ')}. Use another --out, or run without --resume to redo them`,
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

function parseSaved(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`--resume: ${file} is not JSON; remove it, or use another --out`, { cause: error });
  }
}

/**
 * What differs between a saved config and this run's, one phrase per setting (`format: saved "png",
 * now "npy"`); outputs by their labels first (`ops: saved a b, now a c`), then request by request.
 */
export function configDifferences(saved: unknown, now: RunConfig | object): string[] {
  const differences: string[] = [];
  const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
  const compare = (path: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) compare(path ? `${path}.${key}` : key, a[key], b[key]);
      return;
    }
    differences.push(`${path}: saved ${show(a)}, now ${show(b)}`);
  };
  const savedObject = isPlainObject(saved) ? saved : {};
  const savedOutputs = Array.isArray(savedObject.outputs) ? (savedObject.outputs as { label?: unknown; request?: unknown }[]) : [];
  const savedLabels = savedOutputs.map((o) => String(o.label));
  // prepare's settings have no outputs list: only batch's are compared op by op.
  const nowOutputs = 'outputs' in now && Array.isArray(now.outputs) ? (now.outputs as RunConfig['outputs']) : [];
  const labels = nowOutputs.map((o) => o.label);
  if (savedLabels.join(' ') !== labels.join(' ')) {
    differences.push(`ops: saved ${savedLabels.join(' ') || '(none)'}, now ${labels.join(' ')}`);
  } else {
    nowOutputs.forEach((output, i) => compare(`ops ${output.label}`, savedOutputs[i].request, output.request));
  }
  const rest = (config: Record<string, unknown>) => Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'outputs'));
  compare('', rest(savedObject), rest({ ...(now as Record<string, unknown>) }));
  return differences;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

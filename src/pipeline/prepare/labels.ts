/**
 * The columns `prepare` adds to index.csv from the NIH files:
 *   --labels Data_Entry_2017.csv: patient_id, follow_up, view, age, sex, and one 0/1 column per
 *     finding (the 14 NIH findings and No_Finding: the CSV's names with spaces as underscores),
 *     from "Finding Labels" (findings separated by '|').
 *   --splits train_val_list.txt,test_list.txt: a split column named after each list file
 *     (train_val_list.txt -> train_val), one image file name per line.
 * An image the labels or lists do not name fails alone (a dataset row without its labels would
 * train on a wrong target); a finding outside the NIH vocabulary is an error naming the image.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ImageMetadata, readMetadataCsv } from '../batch/metadata.js';

/** The findings of ChestX-ray8 (Wang et al. 2017, as in Data_Entry_2017.csv), in the CSV's spelling. */
export const NIH_FINDINGS = [
  'Atelectasis',
  'Cardiomegaly',
  'Consolidation',
  'Edema',
  'Effusion',
  'Emphysema',
  'Fibrosis',
  'Hernia',
  'Infiltration',
  'Mass',
  'Nodule',
  'Pleural_Thickening',
  'Pneumonia',
  'Pneumothorax',
  'No Finding',
] as const;

export const LABEL_COLUMNS = ['patient_id', 'follow_up', 'view', 'age', 'sex', ...NIH_FINDINGS.map((f) => f.replace(/ /g, '_'))];

export interface LabelTable {
  file: string;
  rows: ReadonlyMap<string, ImageMetadata>;
}

/** Reads Data_Entry_2017.csv (see batch/metadata.ts for the format). */
export async function readLabels(file: string): Promise<LabelTable> {
  const rows = await readMetadataCsv(file);
  if (rows.size === 0) throw new RangeError(`${file}: no image rows`);
  return { file, rows };
}

/** The label columns of one image (by its file name), or a failure reason. */
export function labelValues(table: LabelTable, relativeFile: string): { values: string[] } | { reason: string } {
  const name = path.posix.basename(relativeFile);
  const row = table.rows.get(name);
  if (!row) return { reason: `no row for ${name} in ${path.basename(table.file)} (--labels)` };
  if (row.findingLabels === undefined || row.findingLabels === '') {
    return { reason: `${path.basename(table.file)} has no Finding Labels for ${name}` };
  }
  const findings = row.findingLabels.split('|').map((f) => f.trim());
  const unknown = findings.filter((f) => !(NIH_FINDINGS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    return { reason: `${path.basename(table.file)}: unknown finding(s) ${unknown.map((f) => JSON.stringify(f)).join(', ')} for ${name} (known: ${NIH_FINDINGS.join(', ')})` };
  }
  const flags = NIH_FINDINGS.map((f) => (findings.includes(f) ? '1' : '0'));
  return { values: [row.patientId, String(row.followUp), row.viewPosition ?? '', row.patientAge ?? '', row.patientGender ?? '', ...flags] };
}

export interface SplitTable {
  files: readonly string[];
  /** Image file name -> split name. */
  splitOf: ReadonlyMap<string, string>;
}

/** `train_val_list.txt` -> `train_val`: the list's file name without `_list` and the extension. */
export function splitName(listFile: string): string {
  return path.basename(listFile).replace(/\.[^.]*$/, '').replace(/_list$/, '');
}

/** Reads the split lists (one image name per line); a name in two lists is an error naming both. */
export async function readSplits(files: readonly string[]): Promise<SplitTable> {
  if (files.length === 0) throw new RangeError('--splits needs at least one list file');
  const names = files.map(splitName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new RangeError(`--splits: two lists give the split name ${JSON.stringify(duplicate)}: ${files.join(', ')}`);
  const splitOf = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read split list ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    for (const line of text.split(/\r?\n/)) {
      const image = line.trim();
      if (image === '') continue;
      const previous = splitOf.get(image);
      if (previous !== undefined && previous !== names[i]) {
        throw new RangeError(`--splits: ${image} is in both ${previous} and ${names[i]} (${file})`);
      }
      splitOf.set(image, names[i]);
    }
  }
  return { files, splitOf };
}

/** The split of one image, or a failure reason. */
export function splitValue(table: SplitTable, relativeFile: string): { values: string[] } | { reason: string } {
  const name = path.posix.basename(relativeFile);
  const split = table.splitOf.get(name);
  return split === undefined ? { reason: `${name} is in none of the --splits lists (${table.files.map((f) => path.basename(f)).join(', ')})` } : { values: [split] };
}

/**
 * The bookkeeping of a prepared dataset in OUTDIR:
 *   prepare-config.json      the settings and the input list's digest (compared on --resume and by merge)
 *   images-NNNNN.npy         shard NNNNN: the images of inputs NNNNN*S .. NNNNN*S+S-1 that succeeded
 *   images-NNNNN.index.json  its part of the index: one row per shard row, and the failures, written
 *                            after the shard is in place (a shard counts as done when both are whole)
 *   index.csv, prepare.json  the whole dataset, written by an unsharded run, or by `prepare merge`
 *                            once every --shard I/N machine is done (each writes only its shards and parts)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../io/atomic.js';
import { type ShardGeometry, completeShardRows } from './shard-file.js';
import type { PrepareDecoding, PrepareSettings } from './settings.js';

export const CONFIG_FILE = 'prepare-config.json';
export const INDEX_FILE = 'index.csv';
export const SUMMARY_FILE = 'prepare.json';

/** What decides the shards' content; equal configs make byte-identical shards. */
export interface PrepareConfig {
  settings: PrepareSettings;
  shardSize: number;
  /** index.csv's columns. */
  columns: string[];
  inputs: { count: number; sha256: string };
  /** How inputs were found and decoded: the kinds a folder walk takes, DICOM's values and frame. */
  decode: PrepareDecoding;
  labels: { file: string; sha256: string } | null;
  splits: { file: string; sha256: string }[] | null;
}

export interface IndexPart {
  shard: string;
  /** 0-based shard number. */
  number: number;
  /** Inputs planned for this shard (rows + failures). */
  inputs: number;
  columns: string[];
  /** One per shard row, in row order: the file, then the label and split values. */
  rows: string[][];
  failed: { file: string; reason: string }[];
  /** Who made it: "xray-gpu 0.1.0, <engine>". */
  madeBy: string;
}

export function shardFileName(number: number): string {
  return `images-${String(number).padStart(5, '0')}.npy`;
}

export function partFileName(number: number): string {
  return `images-${String(number).padStart(5, '0')}.index.json`;
}

/** The shard number of an output file name (shard, part or their temporary files' final names). */
export function shardNumberOf(finalName: string): number | undefined {
  const match = /^images-(\d{5,})\.(?:npy|index\.json)$/.exec(finalName);
  return match ? Number(match[1]) : undefined;
}

export async function writePart(outputDir: string, part: IndexPart): Promise<void> {
  await writeFileAtomic(path.join(outputDir, partFileName(part.number)), Buffer.from(`${JSON.stringify(part)}\n`, 'utf8'));
}

/**
 * Shard `number`'s part when the shard and its part are both complete and agree with each other and
 * with `expected` (the inputs planned for it, and the columns); else undefined.
 */
export async function readCompletePart(
  outputDir: string,
  number: number,
  geometry: ShardGeometry,
  expected: { files: readonly string[]; columns: readonly string[] },
): Promise<IndexPart | undefined> {
  let part: IndexPart;
  try {
    part = JSON.parse(await readFile(path.join(outputDir, partFileName(number)), 'utf8')) as IndexPart;
  } catch {
    return undefined;
  }
  if (part.number !== number || !Array.isArray(part.rows) || !Array.isArray(part.failed)) return undefined;
  if (JSON.stringify(part.columns) !== JSON.stringify(expected.columns.slice(3))) return undefined;
  const listed = new Set([...part.rows.map((r) => r[0]), ...part.failed.map((f) => f.file)]);
  if (listed.size !== expected.files.length || expected.files.some((f) => !listed.has(f))) return undefined;
  const rows = await completeShardRows(path.join(outputDir, shardFileName(number)), geometry);
  return rows === part.rows.length ? part : undefined;
}

/** index.csv's text: the header, then every part's rows with their shard and row number. */
export function indexCsv(columns: readonly string[], parts: readonly IndexPart[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const part of parts) {
    part.rows.forEach(([file, ...rest], row) => lines.push([file, part.shard, String(row), ...rest].map(csvField).join(',')));
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 4180: quote a field holding a comma, quote or line break; double its quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export async function readConfig(outputDir: string): Promise<PrepareConfig> {
  const file = path.join(outputDir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: is ${outputDir} a prepare output directory?`, { cause: error });
  }
  try {
    return JSON.parse(text) as PrepareConfig;
  } catch (error) {
    throw new Error(`${file} is not valid JSON`, { cause: error });
  }
}

export interface DatasetSummary {
  shards: { file: string; rows: number }[];
  images: number;
  failed: { file: string; reason: string }[];
}

/**
 * Writes index.csv and prepare.json for the whole dataset from every shard's part; a shard that is
 * not complete is an error naming it (and which --shard I/N makes it). `extra` goes into prepare.json.
 */
export async function writeDatasetIndex(
  outputDir: string,
  config: PrepareConfig,
  shardCount: number,
  extra: Record<string, unknown>,
): Promise<DatasetSummary> {
  const { settings } = config;
  const geometry = { dtype: settings.dtype, height: settings.height, width: settings.width };
  const parts: IndexPart[] = [];
  const missing: number[] = [];
  for (let number = 0; number < shardCount; number++) {
    const part = await readPartLoosely(outputDir, number, geometry);
    if (part) parts.push(part);
    else missing.push(number);
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map(shardFileName).join(', ');
    throw new Error(
      `${outputDir}: ${missing.length} of ${shardCount} shard(s) are missing or incomplete (${shown}${missing.length > 5 ? ', ...' : ''}); ` +
        `shard K is made by the machine run with --shard I/N where I = K mod N`,
    );
  }
  await writeFileAtomic(path.join(outputDir, INDEX_FILE), Buffer.from(indexCsv(config.columns, parts), 'utf8'));
  const summary: DatasetSummary = {
    shards: parts.map((p) => ({ file: p.shard, rows: p.rows.length })),
    images: parts.reduce((n, p) => n + p.rows.length, 0),
    failed: parts.flatMap((p) => p.failed),
  };
  const document = {
    ...extra,
    madeBy: [...new Set(parts.map((p) => p.madeBy))],
    settings,
    shardSize: config.shardSize,
    imageShape: [settings.height, settings.width],
    dtype: settings.dtype,
    columns: config.columns,
    inputs: config.inputs,
    decode: config.decode,
    labels: config.labels,
    splits: config.splits,
    counts: { inputs: config.inputs.count, images: summary.images, failed: summary.failed.length, shards: parts.length },
    shards: summary.shards,
    failed: summary.failed,
  };
  await writeFileAtomic(path.join(outputDir, SUMMARY_FILE), Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8'));
  return summary;
}

/** A part whose shard is complete with as many rows as it lists (merge does not re-walk the inputs). */
async function readPartLoosely(outputDir: string, number: number, geometry: ShardGeometry): Promise<IndexPart | undefined> {
  let part: IndexPart;
  try {
    part = JSON.parse(await readFile(path.join(outputDir, partFileName(number)), 'utf8')) as IndexPart;
  } catch {
    return undefined;
  }
  const rows = await completeShardRows(path.join(outputDir, shardFileName(number)), geometry);
  return rows !== undefined && rows === part.rows?.length ? part : undefined;
}

/**
 * `--series`: one progression GIF and one stats file per patient, OUT/series/<patient>.gif and .json.
 *
 * A patient's images are found by the file name (ChestX-ray8's PPPPPPPP_FFF.png: patient id, follow-up)
 * or by Data_Entry_2017.csv (`--metadata`). Streaming: the walk meets a patient's files one after the
 * other (natural order keeps PPPPPPPP_000..FFF together, even across images_00k folders), so a group
 * closes when the walk reaches another patient, and is written once all its images are done. Only
 * small frames (thumbnail.ts) are kept meanwhile. A patient met again after its group closed is
 * reported, and its first series is kept (sort or shard by patient so that this cannot happen:
 * with --series the shard key is the patient id). DICOM inputs whose names say no patient are
 * grouped by their header's PatientID and ordered by StudyDate, StudyInstanceUID, InstanceNumber
 * (dicom-patient.ts); the same walk-order rule holds, as in PACS exports (a folder per patient).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type StatsRecord, statsJsonReplacer } from '../../stats/record.js';
import type { Image2D } from '../../image.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { encodeGrayGif } from '../../io/gif.js';
import { dicomPatientOf, patientFileName } from './dicom-patient.js';
import type { ImageMetadata } from './metadata.js';
import { isCompleteOutput } from './resume.js';
import type { SeriesFrame } from './worker-protocol.js';

export const SERIES_DIRECTORY = 'series';

export interface SeriesOptions {
  outputDir: string;
  /** From --metadata; without it, patients come from file names. */
  metadata?: ReadonlyMap<string, ImageMetadata>;
  /** Longest side of GIF frames. */
  frameSide: number;
  /** GIF frame delay in ms. */
  delayMs: number;
  /** Keep series whose outputs are already complete (--resume). */
  resume: boolean;
  /** Receives warnings and write failures (one line each). */
  log: (line: string) => void;
}

export interface SeriesTally {
  written: number;
  /** Complete from an earlier run (--resume). */
  skipped: number;
  failed: number;
}

/** The patient an input belongs to, and its place in the patient's series. */
export interface SeriesPatient {
  patientId: string;
  followUp: number;
  metadata?: ImageMetadata;
  /** DICOM: StudyDate, StudyInstanceUID, InstanceNumber, compared before followUp. */
  order?: [string, string, number];
}

interface Member {
  input: string;
  followUp: number;
  order?: [string, string, number];
  metadata?: ImageMetadata;
  frame?: SeriesFrame;
  failure?: string;
  done: boolean;
}

interface Group {
  patientId: string;
  members: Map<string, Member>;
  closed: boolean;
  /** Series outputs already complete (resume): nothing to collect or write. */
  alreadyComplete: boolean;
}

/** ChestX-ray8 names: `00000011_001.png` -> patient 00000011, follow-up 1. */
export function parseSeriesFileName(fileName: string): { patientId: string; followUp: number } | undefined {
  const match = /^(\d+)_(\d+)\.png$/i.exec(fileName);
  return match ? { patientId: match[1], followUp: Number(match[2]) } : undefined;
}

/** Series outputs of a patient, relative to the output directory. */
export function seriesOutputPaths(patientId: string): { gif: string; stats: string } {
  const name = patientFileName(patientId);
  return { gif: `${SERIES_DIRECTORY}/${name}.gif`, stats: `${SERIES_DIRECTORY}/${name}.json` };
}

export class SeriesCollector {
  private current: Group | undefined;
  private readonly closedPatients = new Set<string>();
  private readonly pending: Group[] = [];
  private writes: Promise<void> = Promise.resolve();
  private readonly tally: SeriesTally = { written: 0, skipped: 0, failed: 0 };
  /** identify's answers, kept for the admit that follows (in walk order, so a few at most). */
  private readonly identified = new Map<string, SeriesPatient | undefined>();

  constructor(private readonly options: SeriesOptions) {
    if (!Number.isInteger(options.frameSide) || options.frameSide < 1) {
      throw new RangeError(`series frame side must be an integer >= 1, got ${options.frameSide}`);
    }
  }

  /** The patient an input belongs to (also its shard key), or undefined when neither source names one. */
  patientOf(relativeInput: string): SeriesPatient | undefined {
    const name = path.posix.basename(relativeInput);
    const metadata = this.options.metadata?.get(name);
    if (metadata) return { patientId: metadata.patientId, followUp: metadata.followUp, metadata };
    return parseSeriesFileName(name);
  }

  /**
   * The patient of an input by its name (patientOf) or, for a DICOM file that names none, by its
   * header's PatientID (the file at `file` is read). The shard key with --series. `remember`: keep
   * the answer for the admit that follows (the walk that admits; not the one that counts).
   */
  async identify(relativeInput: string, file: string, remember = true): Promise<SeriesPatient | undefined> {
    if (this.identified.has(relativeInput)) return this.identified.get(relativeInput);
    const byName = this.patientOf(relativeInput);
    const dicom = byName ? undefined : await dicomPatientOf(file);
    const patient = byName ?? (dicom && { patientId: dicom.patientId, followUp: dicom.instanceNumber ?? 0, order: dicom.order });
    if (remember) this.identified.set(relativeInput, patient);
    return patient;
  }

  /**
   * Admits an input, in walk order (`file`: its path, to read a DICOM header). Returns whether the image's worker must produce a series frame
   * (false when it belongs to no patient, or its patient's series is already complete).
   */
  async admit(relativeInput: string, file?: string): Promise<boolean> {
    const patient = file === undefined ? this.patientOf(relativeInput) : await this.identify(relativeInput, file);
    this.identified.delete(relativeInput);
    if (!patient) return false;
    if (this.current?.patientId !== patient.patientId) {
      this.closeCurrent();
      if (this.closedPatients.has(patient.patientId)) {
        this.options.log(
          `series: ${relativeInput} belongs to patient ${patient.patientId}, whose files were met earlier and not next to ` +
            `this one; the series already made for that patient does not include it`,
        );
        return false;
      }
      const { gif, stats } = seriesOutputPaths(patient.patientId);
      const alreadyComplete =
        this.options.resume &&
        (await isCompleteOutput(path.join(this.options.outputDir, gif))) &&
        (await isCompleteOutput(path.join(this.options.outputDir, stats)));
      if (alreadyComplete) this.tally.skipped++;
      this.current = { patientId: patient.patientId, members: new Map(), closed: false, alreadyComplete };
    }
    if (this.current.alreadyComplete) return false;
    this.current.members.set(relativeInput, {
      input: relativeInput,
      followUp: patient.followUp,
      order: patient.order,
      metadata: patient.metadata,
      done: false,
    });
    return true;
  }

  /** Records an admitted image's frame (or why it has none); writes its group if that was the last one. */
  complete(relativeInput: string, frame: SeriesFrame | undefined, failure?: string): void {
    const group = [this.current, ...this.pending].find((g) => g?.members.has(relativeInput));
    const member = group?.members.get(relativeInput);
    if (!group || !member) return;
    member.frame = frame;
    member.failure = frame ? undefined : (failure ?? 'no frame');
    member.done = true;
    this.flushReady();
  }

  /**
   * Ends collection. `complete`: the walk reached the end, so the last group is whole and is written;
   * otherwise (a stopped batch) the last, possibly partial, group is dropped so that --resume redoes it.
   * Waits for every write.
   */
  async finish(complete: boolean): Promise<SeriesTally> {
    if (complete) this.closeCurrent();
    this.current = undefined;
    this.flushReady();
    await this.writes;
    return { ...this.tally };
  }

  private closeCurrent(): void {
    const group = this.current;
    if (!group) return;
    this.current = undefined;
    this.closedPatients.add(group.patientId);
    if (group.alreadyComplete || group.members.size === 0) return;
    group.closed = true;
    this.pending.push(group);
    this.flushReady();
  }

  private flushReady(): void {
    for (let i = 0; i < this.pending.length; ) {
      const group = this.pending[i];
      if ([...group.members.values()].every((m) => m.done)) {
        this.pending.splice(i, 1);
        this.writes = this.writes.then(() => this.write(group));
      } else i++;
    }
  }

  private async write(group: Group): Promise<void> {
    const members = [...group.members.values()].sort((a, b) => compareOrder(a.order, b.order) || a.followUp - b.followUp || (a.input < b.input ? -1 : 1));
    const withFrames = members.filter((m): m is Member & { frame: SeriesFrame } => m.frame !== undefined);
    if (withFrames.length === 0) {
      this.tally.failed++;
      this.options.log(`series: patient ${group.patientId}: no image could be read, no series written`);
      return;
    }
    const { gif, stats } = seriesOutputPaths(group.patientId);
    try {
      const frames = letterbox(withFrames.map((m) => m.frame));
      const gifBytes = encodeGrayGif(frames, { delayMs: this.options.delayMs, names: withFrames.map((m) => m.input) });
      await mkdir(path.join(this.options.outputDir, SERIES_DIRECTORY), { recursive: true });
      await writeFileAtomic(path.join(this.options.outputDir, gif), gifBytes);
      const report = seriesReport(group.patientId, withFrames, members, gif);
      // The stats file is written last: resume counts a series as complete only when both exist.
      await writeFileAtomic(path.join(this.options.outputDir, stats), Buffer.from(`${JSON.stringify(report, statsJsonReplacer, 2)}\n`, 'utf8'));
      this.tally.written++;
    } catch (error) {
      this.tally.failed++;
      this.options.log(`series: patient ${group.patientId}: cannot write its series: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** DICOM sort keys compared field by field; inputs without one (named by file name) keep followUp order. */
function compareOrder(a: Member['order'], b: Member['order']): number {
  if (!a || !b) return 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

interface SeriesReport {
  patientId: string;
  gif: string;
  /** Per frame: its follow-up number, metadata, and the input's statistics record (docs/stats.md). */
  frames: ({ input: string; followUp: number; stats: StatsRecord } & Partial<ImageMetadata>)[];
  failed: { input: string; followUp: number; reason: string }[];
}

function seriesReport(
  patientId: string,
  withFrames: readonly (Member & { frame: SeriesFrame })[],
  members: readonly Member[],
  gif: string,
): SeriesReport {
  return {
    patientId,
    gif,
    frames: withFrames.map((m) => ({
      input: m.input,
      followUp: m.followUp,
      stats: { ...m.frame.stats, file: m.input },
      ...(m.metadata
        ? {
            findingLabels: m.metadata.findingLabels,
            patientAge: m.metadata.patientAge,
            patientGender: m.metadata.patientGender,
            viewPosition: m.metadata.viewPosition,
          }
        : {}),
    })),
    failed: members.filter((m) => !m.frame).map((m) => ({ input: m.input, followUp: m.followUp, reason: m.failure ?? 'unknown' })),
  };
}

/** Frames of different sizes centred on a black canvas of the largest size (GIF frames share one screen). */
function letterbox(frames: readonly SeriesFrame[]): Image2D<Uint8Array>[] {
  const width = Math.max(...frames.map((f) => f.width));
  const height = Math.max(...frames.map((f) => f.height));
  return frames.map((f) => {
    if (f.width === width && f.height === height) return { width, height, data: f.pixels };
    const data = new Uint8Array(width * height);
    const x0 = Math.floor((width - f.width) / 2);
    const y0 = Math.floor((height - f.height) / 2);
    for (let y = 0; y < f.height; y++) data.set(f.pixels.subarray(y * f.width, (y + 1) * f.width), (y0 + y) * width + x0);
    return { width, height, data };
  });
}

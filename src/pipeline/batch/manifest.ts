/**
 * The batch manifest: JSON Lines, one line per image outcome, appended as the batch goes.
 *
 * Writing: each record is one `write()` of a whole line on a file opened for appending, so a killed
 * process leaves complete lines (the kernel keeps what was written; SIGKILL cannot lose it). Appends
 * are serialised, a short write (a disk filling up) is continued, and a write that fails cuts the file
 * back to its last whole line, so a full disk leaves no torn line either; after a failure the writer
 * refuses every further record with the same `ManifestWriteError`. Only a machine crash can tear the
 * last line; `fdatasync` runs at most every `syncIntervalMs` and on close to bound what a crash loses.
 * A writer opening a file whose last line is torn first ends that line, so the next record starts on a
 * line of its own.
 *
 * Reading: lines that do not parse as a record (a torn line) are passed to `onBadLine` and skipped.
 */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { describeFsError } from '../../io/fs-errors.js';
import { enospcError, simulatedManifestLimit } from './test-faults.js';

export const IMAGE_STATUSES = ['ok', 'failed', 'skipped'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export interface OutputRecord {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  bytes: number;
}

export interface StageTimings {
  decodeMs: number;
  computeMs: number;
  encodeMs: number;
}

export interface ManifestRecord {
  /** The input, relative to the input directory, `/`-separated. */
  input: string;
  status: ImageStatus;
  /** Outputs written (ok) or found complete (skipped); empty when failed. */
  outputs: OutputRecord[];
  /** Why the image failed or was skipped. */
  reason?: string;
  /** Wall time of each stage for this image (ok only). */
  timings?: StageTimings;
  width?: number;
  height?: number;
  /** Which engine computed the outputs (ok only). */
  engine?: string;
  /** The run that wrote this line: `host:pid:start time`, to tell runs apart after a resume. */
  run: string;
  /** When the outcome was known (ISO 8601). */
  at: string;
}

export interface ManifestWriterOptions {
  /** Longest time a written line may stay unsynced to disk, in ms (default 1000). */
  syncIntervalMs?: number;
}

/** The manifest could not be written (e.g. the disk is full); the message is one line naming the file. */
export class ManifestWriteError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot write the manifest ${path}: ${problem}`, options);
    this.name = 'ManifestWriteError';
  }
}

/** Appends records to a manifest file; create with `ManifestWriter.open`, finish with `close()`. */
export class ManifestWriter {
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private closed = false;
  /** Appends run one after another, so a failed one can be cut back without touching another's line. */
  private queue: Promise<void> = Promise.resolve();
  /** Set by the first failed write; every later append and close throws it. */
  private failure: ManifestWriteError | undefined;
  private readonly simulatedLimit = simulatedManifestLimit();

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly syncIntervalMs: number,
    /** The file's length after the last whole line this writer knows of. */
    private size: number,
  ) {}

  /** Opens `path` for appending (created if missing), ending a torn last line if there is one. */
  static async open(path: string, options: ManifestWriterOptions = {}): Promise<ManifestWriter> {
    const syncIntervalMs = options.syncIntervalMs ?? 1000;
    if (!(syncIntervalMs >= 0)) throw new RangeError(`syncIntervalMs must be >= 0, got ${syncIntervalMs}`);
    let handle: FileHandle;
    try {
      handle = await open(path, 'a+');
    } catch (error) {
      throw new Error(`cannot open manifest ${path} for appending`, { cause: error });
    }
    try {
      let { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) {
          await handle.write('\n');
          size++;
        }
      }
      return new ManifestWriter(handle, path, syncIntervalMs, size);
    } catch (error) {
      await handle.close().catch(() => {});
      throw new ManifestWriteError(path, describeFsError(error, 'write'), { cause: error });
    }
  }

  /**
   * Appends one record as one line. Resolves once the line is handed to the kernel; rejects with a
   * `ManifestWriteError` when it cannot be written, leaving the file as it was before this record.
   */
  append(record: ManifestRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`manifest ${this.path} is closed; cannot append ${record.input}`));
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    const written = this.queue.then(() => this.writeLine(line));
    this.queue = written.catch(() => {});
    return written;
  }

  /** Syncs what was written and closes the file; a failed sync is a `ManifestWriteError`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.syncTimer);
    await this.queue;
    await this.syncing;
    try {
      if (this.failure === undefined) await this.handle.datasync();
    } catch (error) {
      this.failure = new ManifestWriteError(this.path, describeFsError(error, 'write'), { cause: error });
    } finally {
      await this.handle.close().catch(() => {});
    }
    if (this.failure) throw this.failure;
  }

  private async writeLine(line: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    let done = 0;
    try {
      // One write of the whole line normally; a short write (full disk) is continued where it stopped.
      while (done < line.length) {
        const { bytesWritten } = await this.writeSome(line, done);
        done += bytesWritten;
      }
    } catch (error) {
      // Cut back the part of the line that made it, so the file ends with a whole line.
      if (done > 0) await this.handle.truncate(this.size).catch(() => {});
      this.failure = new ManifestWriteError(this.path, describeFsError(error, 'write'), { cause: error });
      throw this.failure;
    }
    this.size += line.length;
    this.scheduleSync();
  }

  private writeSome(line: Buffer, from: number): Promise<{ bytesWritten: number }> {
    const limit = this.simulatedLimit;
    if (limit === undefined) return this.handle.write(line, from, line.length - from);
    const room = limit - (this.size + from);
    if (room <= 0) return Promise.reject(enospcError(this.path));
    return this.handle.write(line, from, Math.min(room, line.length - from));
  }

  private scheduleSync(): void {
    if (this.syncTimer !== undefined) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.syncing = this.syncing.then(() => (this.closed ? undefined : this.handle.datasync())).catch(() => {});
    }, this.syncIntervalMs);
    // The timer alone must not keep the process alive.
    this.syncTimer.unref();
  }
}

export interface ReadManifestOptions {
  /** Called for each line that is not a valid record (1-based line number and its text). */
  onBadLine?: (lineNumber: number, text: string) => void;
}

/** Streams the records of a manifest file, skipping torn or foreign lines (reported to `onBadLine`). */
export async function* readManifest(path: string, options: ReadManifestOptions = {}): AsyncGenerator<ManifestRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const record = parseRecord(line);
      if (record) yield record;
      else options.onBadLine?.(lineNumber, line);
    }
  } catch (error) {
    throw new Error(`cannot read manifest ${path}`, { cause: error });
  } finally {
    lines.close();
  }
}

/** A line as a record, or undefined when it is torn or not a manifest record. */
export function parseRecord(line: string): ManifestRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<ManifestRecord>;
  if (typeof record.input !== 'string' || !IMAGE_STATUSES.includes(record.status as ImageStatus)) return undefined;
  if (!Array.isArray(record.outputs)) return undefined;
  return record as ManifestRecord;
}

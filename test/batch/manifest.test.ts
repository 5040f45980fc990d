import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ManifestRecord, ManifestWriter, parseRecord, readManifest } from '../../src/pipeline/batch/manifest.js';
import { mergeManifests } from '../../src/pipeline/batch/merge-manifests.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'xray-manifest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(input: string, status: ManifestRecord['status'], extra: Partial<ManifestRecord> = {}): ManifestRecord {
  return { input, status, outputs: [], run: 'test:1:0', at: '2026-01-01T00:00:00.000Z', ...extra };
}

async function readAll(file: string): Promise<{ records: ManifestRecord[]; bad: number[] }> {
  const records: ManifestRecord[] = [];
  const bad: number[] = [];
  for await (const r of readManifest(file, { onBadLine: (n) => bad.push(n) })) records.push(r);
  return { records, bad };
}

describe('ManifestWriter', () => {
  it('appends one JSON line per record, and keeps earlier lines when reopened', async () => {
    const file = path.join(dir, 'm.jsonl');
    const first = await ManifestWriter.open(file);
    await first.append(record('a.png', 'ok'));
    await first.close();
    const second = await ManifestWriter.open(file);
    await second.append(record('b.png', 'failed', { reason: 'truncated' }));
    await second.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]).input).toBe('a.png');
    expect(JSON.parse(lines[1])).toMatchObject({ input: 'b.png', status: 'failed', reason: 'truncated' });
  });

  it('ends a torn last line before appending, so the new record stays readable', async () => {
    const file = path.join(dir, 'm.jsonl');
    await writeFile(file, `${JSON.stringify(record('a.png', 'ok'))}\n{"input":"b.png","sta`);
    const writer = await ManifestWriter.open(file);
    await writer.append(record('c.png', 'ok'));
    await writer.close();
    const { records, bad } = await readAll(file);
    expect(records.map((r) => r.input)).toEqual(['a.png', 'c.png']);
    expect(bad).toEqual([2]);
  });

  it('a disk that fills mid-line: the partial line is cut back, later appends fail alike, the file ends with a whole line', async () => {
    const file = path.join(dir, 'm.jsonl');
    const first = JSON.stringify(record('a.png', 'ok'));
    process.env.XRAY_TEST_MANIFEST_FULL_AT = String(first.length + 1 + 20);
    let writer: ManifestWriter;
    try {
      writer = await ManifestWriter.open(file);
    } finally {
      delete process.env.XRAY_TEST_MANIFEST_FULL_AT;
    }
    await writer.append(record('a.png', 'ok'));
    const message = `cannot write the manifest ${file}: no space left on the device`;
    await expect(writer.append(record('b.png', 'ok'))).rejects.toThrow(message);
    expect(await readFile(file, 'utf8')).toBe(`${first}\n`);
    await expect(writer.append(record('c.png', 'ok'))).rejects.toThrow(message);
    await expect(writer.close()).rejects.toThrow(message);
    expect(await readFile(file, 'utf8')).toBe(`${first}\n`);
  });

  it('refuses to append after close, naming the manifest', async () => {
    const file = path.join(dir, 'm.jsonl');
    const writer = await ManifestWriter.open(file);
    await writer.close();
    await expect(writer.append(record('a.png', 'ok'))).rejects.toThrow(`manifest ${file} is closed; cannot append a.png`);
  });
});

describe('readManifest', () => {
  it('skips a torn last line (a crash mid-write) and reports its line number', async () => {
    const file = path.join(dir, 'm.jsonl');
    await writeFile(file, `${JSON.stringify(record('a.png', 'ok'))}\n${JSON.stringify(record('b.png', 'ok')).slice(0, 30)}`);
    const { records, bad } = await readAll(file);
    expect(records.map((r) => r.input)).toEqual(['a.png']);
    expect(bad).toEqual([2]);
  });

  it('skips lines that are JSON but not records', async () => {
    const file = path.join(dir, 'm.jsonl');
    await writeFile(file, '{"hello":1}\n[1,2]\n{"input":"x.png","status":"done","outputs":[]}\n');
    await appendFile(file, `${JSON.stringify(record('a.png', 'skipped'))}\n`);
    const { records, bad } = await readAll(file);
    expect(records.map((r) => r.input)).toEqual(['a.png']);
    expect(bad).toEqual([1, 2, 3]);
  });

  it('parseRecord accepts exactly the three statuses', () => {
    for (const status of ['ok', 'failed', 'skipped'] as const) expect(parseRecord(JSON.stringify(record('a', status)))?.status).toBe(status);
    expect(parseRecord('{"input":"a","status":"OK","outputs":[]}')).toBeUndefined();
  });
});

describe('mergeManifests', () => {
  it('keeps the last outcome per input, never lets skipped replace ok, and sorts in walk order', async () => {
    const shard0 = path.join(dir, 'manifest-0-of-2.jsonl');
    const shard1 = path.join(dir, 'manifest-1-of-2.jsonl');
    const lines = (rs: ManifestRecord[]) => rs.map((r) => `${JSON.stringify(r)}\n`).join('');
    await writeFile(shard0, lines([record('d/img10.png', 'failed', { reason: 'x' }), record('d/img2.png', 'ok'), record('d/img10.png', 'ok')]));
    await writeFile(shard1, lines([record('a.png', 'ok', { timings: { decodeMs: 1, computeMs: 2, encodeMs: 3 } }), record('a.png', 'skipped'), record('e.png', 'failed')]) + '{"torn');
    const out = path.join(dir, 'merged.jsonl');
    const bad: string[] = [];
    const result = await mergeManifests([shard0, shard1], out, { onBadLine: (file, n) => bad.push(`${path.basename(file)}:${n}`) });
    expect(result).toEqual({ inputs: 4, ok: 3, failed: 1, skipped: 0, badLines: 1 });
    expect(bad).toEqual(['manifest-1-of-2.jsonl:4']);
    const { records } = await readAll(out);
    expect(records.map((r) => `${r.input} ${r.status}`)).toEqual(['a.png ok', 'd/img2.png ok', 'd/img10.png ok', 'e.png failed']);
    expect(records[0].timings).toEqual({ decodeMs: 1, computeMs: 2, encodeMs: 3 });
  });
});

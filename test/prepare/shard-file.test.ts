import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpyHeader } from '../../src/io/npy.js';
import { ShardFileWriter, completeShardRows } from '../../src/pipeline/prepare/shard-file.js';
import { readShard } from './shard-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'xray-shard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const geometry = { dtype: 'float32' as const, height: 2, width: 3 };
const row = (k: number) => new Uint8Array(Float32Array.from({ length: 6 }, (_, i) => k * 10 + i).buffer);

describe('ShardFileWriter', () => {
  it('writes rows out of order and closes up the slots of failed images', async () => {
    const file = path.join(dir, 'images-00000.npy');
    const writer = await ShardFileWriter.create(file, geometry, 1000);
    // Slots 0..4; slots 1 and 3 "fail". Written in a scrambled order, as workers finish.
    for (const slot of [4, 0, 2]) await writer.writeRow(slot, row(slot));
    expect(await readdir(dir)).not.toContain('images-00000.npy');
    await writer.finish([0, 2, 4]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const decoded = decodeNpy(new Uint8Array(await readFile(file)));
    expect(decoded.shape).toEqual([3, 2, 3]);
    expect(Array.from(decoded.data)).toEqual([0, 1, 2, 3, 4, 5, 20, 21, 22, 23, 24, 25, 40, 41, 42, 43, 44, 45]);
    expect(await completeShardRows(file, geometry)).toBe(3);
    expect(await completeShardRows(file, { ...geometry, width: 4 })).toBeUndefined();
    expect(await completeShardRows(file, { ...geometry, dtype: 'float16' })).toBeUndefined();
  });

  it('a shard whose images all failed holds zero rows; abort leaves nothing', async () => {
    const empty = path.join(dir, 'images-00001.npy');
    const writer = await ShardFileWriter.create(empty, { dtype: 'uint8', height: 4, width: 4 }, 3);
    await writer.finish([]);
    expect((await readShard(empty)).shape).toEqual([0, 4, 4]);
    const dropped = await ShardFileWriter.create(path.join(dir, 'images-00002.npy'), geometry, 2);
    await dropped.writeRow(0, row(0));
    await dropped.abort();
    expect((await readdir(dir)).some((f) => f.includes('00002'))).toBe(false);
  });

  it('refuses a row of the wrong size or outside the shard', async () => {
    const writer = await ShardFileWriter.create(path.join(dir, 'images-00003.npy'), geometry, 2);
    await expect(writer.writeRow(2, row(0))).rejects.toThrow('row 2 is outside the shard\'s 2 rows');
    await expect(writer.writeRow(0, new Uint8Array(5))).rejects.toThrow('holds 24 bytes, got 5');
    await writer.abort();
  });

  it('a torn shard (shorter than its header says) is not complete', async () => {
    const file = path.join(dir, 'images-00004.npy');
    const header = encodeNpyHeader('<f4', [2, 2, 3]);
    await writeFile(file, Buffer.concat([header, Buffer.alloc(24)]));
    expect(await completeShardRows(file, geometry)).toBeUndefined();
    await writeFile(file, Buffer.concat([header, Buffer.alloc(48)]));
    expect(await completeShardRows(file, geometry)).toBe(2);
  });

  it('encodeNpyHeader reserves room: the final header keeps the placeholder\'s length', () => {
    const big = encodeNpyHeader('<f2', [4096, 1024, 1024]);
    const small = encodeNpyHeader('<f2', [7, 1024, 1024], big.length);
    expect(small.length).toBe(big.length);
    expect(big.length % 64).toBe(0);
    expect(Buffer.from(small).toString('latin1')).toContain("'shape': (7, 1024, 1024), }");
  });
});

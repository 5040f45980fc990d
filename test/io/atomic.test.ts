import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomic.js';

/** When set, the next fsync of a file opened through node:fs/promises fails like a full disk. */
const failure = vi.hoisted(() => ({ nextSync: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (...args) => {
    const handle = await fs.open(...args);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      if (!failure.nextSync) return sync();
      failure.nextSync = false;
      throw Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' });
    };
    return handle;
  };
  return { ...fs, open };
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xray-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bytes and leaves no temporary file behind', async () => {
    const path = join(dir, 'out.bin');
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) % 256);
    await writeFileAtomic(path, bytes);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('replaces an existing file', async () => {
    const path = join(dir, 'out.bin');
    writeFileSync(path, 'old content that is longer');
    await writeFileAtomic(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('keeps the previous file and removes the temporary one when the write fails', async () => {
    const path = join(dir, 'out.bin');
    writeFileSync(path, 'previous');
    failure.nextSync = true;
    await expect(writeFileAtomic(path, new TextEncoder().encode('new content'))).rejects.toMatchObject({
      code: 'ENOSPC',
      message: `cannot write ${path}: no space left on the device`,
    });
    expect(readFileSync(path, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('leaves the target alone and removes the temporary file when the rename fails', async () => {
    // Renaming a file over a non-empty directory fails after the temporary file was written.
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'previous');
    await expect(writeFileAtomic(path, new TextEncoder().encode('new'))).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) });
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('fails with ENOENT when the directory does not exist, creating nothing', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'out.bin'), new Uint8Array(1))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });
});

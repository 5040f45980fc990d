import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareNatural } from '../../src/pipeline/batch/natural-order.js';
import { walkFiles } from '../../src/pipeline/batch/walk.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'xray-walk-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function touch(relative: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
  await writeFile(path.join(root, relative), '');
}

async function collect(options = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of walkFiles(root, options)) out.push(entry.relativePath);
  return out;
}

describe('compareNatural', () => {
  it('orders digit runs by value, so img2 comes before img10', () => {
    expect(['img10.png', 'img2.png', 'img1.png'].sort(compareNatural)).toEqual(['img1.png', 'img2.png', 'img10.png']);
  });

  it('orders zero-padded ChestX-ray8 names as plain text would', () => {
    const names = ['00000011_008.png', '00000002_000.png', '00000011_000.png', '00000011_010.png'];
    expect([...names].sort(compareNatural)).toEqual([...names].sort());
  });

  it('is a total order: equal values with different zero padding still compare unequal, consistently', () => {
    expect(compareNatural('a01', 'a1')).toBeGreaterThan(0);
    expect(compareNatural('a1', 'a01')).toBeLessThan(0);
    expect(compareNatural('a1', 'a1')).toBe(0);
  });

  it('compares digit runs longer than a double holds exactly', () => {
    expect(compareNatural('x99999999999999999999', 'x100000000000000000000')).toBeLessThan(0);
  });
});

describe('walkFiles', () => {
  it('walks depth-first in natural order, files and folders interleaved by name', async () => {
    for (const f of ['b/2.png', 'b/10.png', 'a.png', 'images_10/x.png', 'images_2/y.png', 'c.png']) await touch(f);
    expect(await collect()).toEqual(['a.png', 'b/2.png', 'b/10.png', 'c.png', 'images_2/y.png', 'images_10/x.png']);
  });

  it('keeps only the extensions asked for, case-insensitively', async () => {
    for (const f of ['a.png', 'b.PNG', 'c.txt', 'd.png.bak']) await touch(f);
    expect(await collect({ extensions: ['.png'] })).toEqual(['a.png', 'b.PNG']);
  });

  it('does not enter skipped directories (an output folder inside the input)', async () => {
    for (const f of ['in.png', 'out/in.sobel.png']) await touch(f);
    expect(await collect({ skipDirectories: [path.join(root, 'out')] })).toEqual(['in.png']);
  });

  it('follows links to files but not links to directories (no endless cycles)', async () => {
    await touch('d/a.png');
    await symlink(path.join(root, 'd', 'a.png'), path.join(root, 'link.png'));
    await symlink(root, path.join(root, 'd', 'loop'));
    expect(await collect()).toEqual(['d/a.png', 'link.png']);
  });

  it('rejects a root that is not a directory, naming it', async () => {
    await touch('file.png');
    const file = path.join(root, 'file.png');
    await expect(async () => {
      for await (const _ of walkFiles(file)) void _;
    }).rejects.toThrow(`input must be a directory, got a file: ${file}`);
  });

  it('streams: it yields before listing later folders, so a file added to an unvisited folder is still seen', async () => {
    // 40 folders x 50 files: a list-then-yield walk would have read every folder before the first yield.
    for (let d = 0; d < 40; d++) {
      await mkdir(path.join(root, `d${d}`));
      await Promise.all(Array.from({ length: 50 }, (_, f) => writeFile(path.join(root, `d${d}`, `f${f}.png`), '')));
    }
    const walk = walkFiles(root);
    const first = await walk.next();
    expect(first.value?.relativePath).toBe('d0/f0.png');
    await writeFile(path.join(root, 'd39', 'late.png'), '');
    let count = 1;
    let sawLate = false;
    for await (const entry of walk) {
      count++;
      if (entry.relativePath === 'd39/late.png') sawLate = true;
    }
    expect(sawLate).toBe(true);
    expect(count).toBe(40 * 50 + 1);
  });

  it('reports a sub-folder it cannot read to onDirectoryError and goes on with the rest', async () => {
    for (const f of ['a.png', 'gone/x.png', 'z.png']) await touch(f);
    const errors: string[] = [];
    const walk = walkFiles(root, { onDirectoryError: (relative) => errors.push(relative) });
    const seen = [(await walk.next()).value?.relativePath];
    // The root was listed; the folder vanishes before the walk opens it (as an unreadable one would fail).
    await rm(path.join(root, 'gone'), { recursive: true });
    for await (const entry of walk) seen.push(entry.relativePath);
    expect(seen).toEqual(['a.png', 'z.png']);
    expect(errors).toEqual(['gone']);
  });
});

/**
 * Hostile or careless input through the real CLI (issue 14, items 4 to 7): each case ends within
 * seconds in a correct result or one line naming the file and the problem, with no stack trace.
 */
import { spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/io/npy.js';
import { decodePng, encodePng } from '../../src/io/png.js';
import { runCli, syntheticImage } from '../batch/cli-helpers.js';

let work: string;
let image: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'xray-hostile-'));
  image = path.join(work, 'x.png');
  await writeFile(image, encodePng({ width: 37, height: 29, data: syntheticImage(37, 29, 5) }));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the CLI and checks it answered within `seconds` with no stack trace. */
async function quick(args: string[], seconds = 10): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const started = performance.now();
  const result = await runCli(args);
  expect(performance.now() - started, args.join(' ')).toBeLessThan(seconds * 1000);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  // The engine line (on stderr, as every informational line) is not part of the error.
  return { ...result, stderr: result.stderr.replace(/^engine: .*\n/m, '') };
}

/** A PNG of `side` x `side` 8-bit gray zeros: a few hundred KB that declare a huge image. */
function zerosPng(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8;
  const rows = deflateSync(Buffer.alloc((side + 1) * side), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

describe('unbounded parameters are refused at once, saying why', () => {
  const out = () => path.join(work, 'p.npy');
  it.each([
    [['--op', 'gaussian', '--radius', '100000000'], 'radius must be at most 4096 pixels'],
    [['--op', 'gaussian', '--sigma', '1e6'], 'sigma 1000000 with truncate 4 gives a kernel radius of 4000000 pixels; the limit is 4096'],
    [['--op', 'gaussian-laplace', '--sigma', '1e300'], 'sigma 1e+300 with truncate 4 gives a kernel radius of 4e+300 pixels'],
    [['--op', 'gaussian', '--truncate', '1e12'], 'sigma 1 with truncate 1000000000000 gives a kernel radius of 1000000000000 pixels'],
    [['--op', 'fourier-gaussian', '--sigma', '1e300'], 'sigma must be at most 1000000000 for fourier-gaussian'],
  ])('filter %j', async (args, message) => {
    const result = await quick(['filter', image, ...args, '--engine', 'cpu', '--out', out()]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain(`xray-gpu: ${message}`);
    await expect(access(out())).rejects.toThrow();
  });

  it('batch --ops with a huge sigma is a usage error before anything is created', async () => {
    const result = await quick(['batch', work, '--out', path.join(work, 'never'), '--ops', 'gaussian:sigma=1e6']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('gives a kernel radius of 4000000 pixels');
    await expect(access(path.join(work, 'never'))).rejects.toThrow();
  });
});

describe('memory budget', () => {
  it('a 261 KB PNG declaring 16384 x 16384 pixels is refused before decoding, naming the size, the estimate and the flag', async () => {
    const zeros = path.join(work, 'zeros.png');
    await writeFile(zeros, zerosPng(16384));
    expect((await readFile(zeros)).length).toBeLessThan(300_000);
    const result = await quick(['filter', zeros, '--op', 'sobel-magnitude', '--engine', 'cpu', '--max-memory', '8G', '--out', path.join(work, 'z.png')], 5);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `xray-gpu: ${zeros}: 16384x16384 image: filter --op sobel-magnitude needs about 15.5 GiB of working memory, over the 8.0 GiB budget; ` +
        'raise --max-memory if this machine has the memory, or use a smaller image\n',
    );
    const stats = await quick(['stats', zeros, '--engine', 'cpu', '--max-memory', '1G'], 5);
    expect(stats.code).toBe(1);
    expect(stats.stderr).toMatch(/: 16384x16384 image: stats needs about 3\.0 GiB of working memory, over the 1\.0 GiB budget/);
  });

  it('an image within the budget runs, and the same image over a small budget is refused', async () => {
    const ok = await quick(['filter', image, '--op', 'sobel-magnitude', '--engine', 'cpu', '--max-memory', '1M', '--out', path.join(work, 'm.png')]);
    expect(ok.code, ok.stderr).toBe(0);
    const refused = await quick(['filter', image, '--op', 'sobel-magnitude', '--engine', 'cpu', '--max-memory', '60K', '--out', path.join(work, 'm2.png')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${image}: 37x29 image: filter --op sobel-magnitude needs about`);
  });

  it('a batch image over its worker share fails alone with the reason in the manifest', async () => {
    const input = path.join(work, 'budget-in');
    await mkdir(input, { recursive: true });
    await writeFile(path.join(input, 'small.png'), encodePng({ width: 16, height: 16, data: syntheticImage(16, 16, 1) }));
    await writeFile(path.join(input, 'large.png'), encodePng({ width: 200, height: 200, data: syntheticImage(200, 200, 2) }));
    const output = path.join(work, 'budget-out');
    const result = await quick(['batch', input, '--out', output, '--ops', 'sobel-magnitude', '--engine', 'cpu', '--jobs', '2', '--max-memory', '2M', '--quiet'], 30);
    expect(result.code).toBe(1);
    const lines = (await readFile(path.join(output, 'manifest.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { input: string; status: string; reason?: string });
    expect(lines.find((l) => l.input === 'small.png')?.status).toBe('ok');
    expect(lines.find((l) => l.input === 'large.png')?.reason).toMatch(/^200x200 image: this batch's ops \(sobel-magnitude\) needs about 3 MiB of working memory, over the 1 MiB budget; raise --max-memory \(shared by the 2 workers of --jobs\)/);
  });
});

describe('special and oversized files', () => {
  it('devices, FIFOs and directories are refused without reading', async () => {
    const fifo = path.join(work, 'fifo.png');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const [file, problem] of [
      ['/dev/zero', 'is a device; only regular files are read'],
      [fifo, 'is a FIFO (named pipe); only regular files are read'],
      [work, 'is a directory'],
    ]) {
      const result = await quick(['stats', file, '--engine', 'cpu'], 5);
      expect(result.code, file).toBe(1);
      expect(result.stderr).toBe(`xray-gpu: ${file}: ${problem}\n`);
    }
  });

  it('a 1.9 GB file that is no PNG fails on its first bytes; one over --max-file-size fails unread', async () => {
    const big = path.join(work, 'big.png');
    await writeFile(big, 'not an image at all');
    await truncate(big, 1.9e9); // sparse: costs no disk
    const result = await quick(['stats', big, '--engine', 'cpu'], 5);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`xray-gpu: ${big}: not a PNG file (bad signature)\n`);
    const capped = await quick(['stats', image, '--engine', 'cpu', '--max-file-size', '100'], 5);
    expect(capped.code).toBe(1);
    expect(capped.stderr).toBe(`xray-gpu: ${image}: file is 895 B, over the 100 B input limit (--max-file-size)\n`);
    const bad = await quick(['stats', image, '--max-file-size', '12X']);
    expect(bad.code).toBe(2);
  });
});

describe('smaller ones', () => {
  it('filter refuses --out that is the input unless --overwrite', async () => {
    const own = path.join(work, 'own.png');
    await writeFile(own, await readFile(image));
    const refused = await quick(['filter', own, '--op', 'sobel-magnitude', '--engine', 'cpu', '--out', own]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe(`xray-gpu: --out ${own} is the input file; the result would replace it: add --overwrite to allow that, or choose another --out`);
    expect((await readFile(own)).equals(await readFile(image))).toBe(true);
    const allowed = await quick(['filter', own, '--op', 'sobel-magnitude', '--engine', 'cpu', '--out', own, '--overwrite']);
    expect(allowed.code).toBe(0);
    expect(decodePng(await readFile(own), own)).toMatchObject({ width: 37, height: 29 });
    expect((await readFile(own)).equals(await readFile(image))).toBe(false);
  });

  it('stats of an image without finite values names the file and the way out', async () => {
    const nan = path.join(work, 'nan.npy');
    await writeFile(nan, encodeNpy([2, 2], new Float32Array([NaN, NaN, NaN, NaN])));
    const result = await quick(['stats', nan, '--engine', 'cpu']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^xray-gpu: ${nan.replace(/[.]/g, '\\.')}: histogram min and max must be finite numbers, got min NaN, max NaN \\(the image holds NaN or infinite values\\); give one with --range MIN,MAX\\n$`));
  });

  it('run with a missing input creates no --out; run DIR --out DIR is refused', async () => {
    const out = path.join(work, 'run-out');
    const missing = await quick(['run', path.join(work, 'nope.png'), '--out', out, '--engine', 'cpu']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`xray-gpu: ${path.join(work, 'nope.png')}: no such file or directory\n`);
    await expect(access(out)).rejects.toThrow();
    const dir = path.join(work, 'same');
    await mkdir(dir);
    await writeFile(path.join(dir, 'a.png'), await readFile(image));
    const same = await quick(['run', dir, '--out', `${dir}/`, '--engine', 'cpu']);
    expect(same.code).toBe(2);
    expect(same.stderr.split('\n')[0]).toBe(`xray-gpu: --out must differ from the input directory ${dir}: the next run would take this run's outputs as inputs`);
  });

  it('a cut-short batch-config.json names the file and what to do', async () => {
    const input = path.join(work, 'cfg-in');
    await mkdir(input, { recursive: true });
    await writeFile(path.join(input, 'a.png'), await readFile(image));
    const output = path.join(work, 'cfg-out');
    expect((await quick(['batch', input, '--out', output, '--ops', 'mask', '--engine', 'cpu', '--quiet'], 30)).code).toBe(0);
    const config = path.join(output, 'batch-config.json');
    await writeFile(config, (await readFile(config, 'utf8')).slice(0, 50));
    const result = await quick(['batch', input, '--out', output, '--ops', 'mask', '--engine', 'cpu', '--resume'], 30);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^xray-gpu: --resume: ${config.replace(/[.]/g, '\\.')} is cut short or corrupt \\(.*\\), so the settings of the outputs there are unknown; delete it if they were made with the settings given now, or run without --resume to redo them\\n$`),
    );
  });

  it('a write to a read-only file system is said in words', async () => {
    const readOnly = path.join(work, 'ro');
    await mkdir(readOnly);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly]).status !== 0) {
      // Without mount, the words come from describeFsError, tested in test/io/fs-errors.test.ts.
      return;
    }
    try {
      const out = path.join(readOnly, 'o.png');
      const result = await quick(['filter', image, '--op', 'mask', '--engine', 'cpu', '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`xray-gpu: ${out}: read-only file system (cannot write)\n`);
    } finally {
      spawnSync('umount', [readOnly]);
    }
  });
});

/**
 * What a web page loads eagerly from the root entry: the entry chunk of a minified, code-split esbuild
 * bundle of dist/src/index.js (scripts/bundle-size.mjs) stays under 60 KB gzipped, and the large
 * pieces (the JPEG codec) are chunks of their own, loaded on demand. Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const built = join(root, 'dist/src/index.js');

interface Report {
  entryGzipBytes: number;
  totalGzipBytes: number;
  chunks: { file: string; entry: boolean; gzipBytes: number; holds: string[] }[];
}

describe('root-entry bundle', () => {
  it.skipIf(!existsSync(built) && !process.env.CI)('keeps the entry chunk under 60 KB gzipped and the JPEG codec out of it (skipped before npm run build)', () => {
    const report = JSON.parse(execFileSync(process.execPath, [join(root, 'scripts/bundle-size.mjs'), '--json'], { encoding: 'utf8' })) as Report;
    const entry = report.chunks.find((c) => c.entry);
    expect(entry, 'an entry chunk').toBeDefined();
    expect(report.entryGzipBytes).toBeLessThan(60 * 1024);
    const jpeg = report.chunks.find((c) => c.holds.some((input) => input.includes('codec-libjpeg-turbo')));
    expect(jpeg, 'a chunk holding the JPEG codec').toBeDefined();
    expect(jpeg?.entry).toBe(false);
    expect(jpeg?.gzipBytes).toBeGreaterThan(100 * 1024); // the codec itself, not a stub
  });
});

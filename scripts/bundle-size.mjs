#!/usr/bin/env node
// What a web page loads from the root entry `xray-gpu`: bundles the built dist/src/index.js with
// esbuild as an embedder would (browser, ESM, minified, code-split) and prints the gzipped size of the
// entry chunk (loaded eagerly) and of all chunks (the rest loads on demand: JPEG codec, colormap
// tables, ...). Needs `npm run build` first.
//   node scripts/bundle-size.mjs [--json] [--out DIR]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const json = args.includes('--json');
const outIndex = args.indexOf('--out');
const keep = outIndex >= 0 ? resolve(args[outIndex + 1]) : undefined;
const outdir = keep ?? mkdtempSync(join(tmpdir(), 'xray-gpu-bundle-'));

try {
  const result = await build({
    entryPoints: { index: join(root, 'dist/src/index.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    platform: 'browser',
    target: 'es2022',
    outdir,
    metafile: true,
    logLevel: 'error',
    // The Emscripten JPEG codec (CommonJS) requires these only when it runs in Node.
    external: ['fs', 'path'],
  });
  const chunks = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => {
      // Dynamically imported modules are entry points to esbuild too; the page's entry is index.js.
      const isEntry = output.entryPoint !== undefined && output.entryPoint.endsWith('dist/src/index.js');
      const bytes = readFileSync(resolve(file));
      return {
        file: relative(outdir, resolve(file)),
        entry: isEntry,
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
        // The largest inputs, to say what a chunk holds.
        holds: Object.entries(output.inputs)
          .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
          .slice(0, 3)
          .map(([input]) => input.replace(/^.*node_modules\//, '').replace(/^dist\//, '')),
      };
    })
    .sort((a, b) => Number(b.entry) - Number(a.entry) || b.gzipBytes - a.gzipBytes);
  const entry = chunks.find((c) => c.entry);
  const total = chunks.reduce((n, c) => n + c.gzipBytes, 0);
  if (json) {
    process.stdout.write(`${JSON.stringify({ entryGzipBytes: entry.gzipBytes, totalGzipBytes: total, chunks }, null, 1)}\n`);
  } else {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    process.stdout.write(`entry chunk: ${kb(entry.gzipBytes)} gzipped (${kb(entry.bytes)} minified)\n`);
    process.stdout.write(`all chunks:  ${kb(total)} gzipped\n`);
    for (const c of chunks) process.stdout.write(`  ${c.entry ? 'entry ' : 'lazy  '} ${kb(c.gzipBytes).padStart(9)}  ${c.file}  (${c.holds.join(', ')})\n`);
  }
} finally {
  if (!keep) rmSync(outdir, { recursive: true, force: true });
}

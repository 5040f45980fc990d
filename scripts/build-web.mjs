// Builds the viewer app (web/) into a static folder that works from file:// and over HTTP:
// viewer.js (a classic script: module scripts cannot load from file://) with the CPU worker's
// source inlined (started from a blob: URL), index.html and viewer.css.
// Usage: node scripts/build-web.mjs [--outdir DIR]   (default web/dist; needs the generated
// shader and WebAssembly modules: npm run build:web makes them first).
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--outdir');
if (at >= 0 && !args[at + 1]) throw new Error('--outdir needs a folder');
const outdir = resolve(at >= 0 ? args[at + 1] : join(root, 'web', 'dist'));

// One classic script, lazy codecs (JPEG) inlined: a file:// page can load neither module scripts nor
// split chunks. fs/path: libjpeg-turbo's Emscripten glue requires them only on its Node branch.
const common = {
  bundle: true, format: 'iife', target: 'es2022', minify: true, platform: 'browser', legalComments: 'none', logLevel: 'warning',
  external: ['fs', 'path'],
};
const worker = await build({ ...common, entryPoints: [join(root, 'web/src/worker.ts')], write: false });
await mkdir(outdir, { recursive: true });
await build({
  ...common,
  entryPoints: [join(root, 'web/src/main.ts')],
  outfile: join(outdir, 'viewer.js'),
  define: { __XRAY_WORKER_SOURCE__: JSON.stringify(worker.outputFiles[0].text) },
});
for (const file of ['index.html', 'viewer.css']) await copyFile(join(root, 'web', file), join(outdir, file));
console.log(`viewer built in ${outdir}`);

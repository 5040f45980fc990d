/**
 * decodeImage in a real browser: the built root entry bundled by esbuild (as a page would bundle it),
 * run in headless Chromium from file://, decodes a 16-bit PNG, an interlaced palette PNG and a
 * progressive colour JPEG to exactly the pixels Node gives. Skipped without Chromium unless
 * XRAY_REQUIRE_CHROMIUM=1; needs `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/index.js';
import { CAN_SCREENSHOT, CHROMIUM } from '../helpers/chromium.js';
import { buildPng } from '../io/png-builder.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const entry = join(root, 'dist/src/index.js');
const dir = mkdtempSync(join(tmpdir(), 'xray-decode-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, Uint8Array> = {
  'gray16.png': buildPng({ width: 5, height: 3, bitDepth: 16, colorType: 0, samples: [0, 1, 255, 256, 4095, 32768, 65535, 7, 9, 11, 13, 15, 17, 19, 21] }),
  'palette-adam7.png': buildPng({
    width: 11,
    height: 9,
    bitDepth: 4,
    colorType: 3,
    interlaced: true,
    palette: Array.from({ length: 16 }, (_, i) => [i * 16, 255 - i * 8, (i * 37) % 256] as const),
    samples: Array.from({ length: 99 }, (_, i) => (i * 7) % 16),
  }),
  'colour-progressive.jpg': new Uint8Array(readFileSync(new URL('../golden/jpeg/rgb420-progressive-61x45.jpg', import.meta.url))),
};

describe('decodeImage in Chromium', () => {
  it.skipIf(!CAN_SCREENSHOT || (!existsSync(entry) && !process.env.CI))(
    'gives the pixels Node gives, for PNG (16-bit, palette, Adam7) and JPEG, from a file:// page',
    async () => {
      const script = join(dir, 'page.js');
      await build({
        stdin: {
          contents: `import { decodeImage } from ${JSON.stringify(entry)};
            const files = ${JSON.stringify(Object.fromEntries(Object.entries(files).map(([n, b]) => [n, Buffer.from(b).toString('base64')])))};
            const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            (async () => {
              const out = {};
              for (const [name, b64] of Object.entries(files)) {
                try {
                  const image = await decodeImage(bytes(b64), { name });
                  out[name] = { width: image.width, height: image.height, type: image.data.constructor.name, data: Array.from(image.data) };
                } catch (error) { out[name] = { error: String(error) }; }
              }
              document.getElementById('out').textContent = JSON.stringify(out);
            })();`,
          resolveDir: root,
        },
        bundle: true,
        format: 'iife',
        platform: 'browser',
        outfile: script,
        external: ['fs', 'path'],
        logLevel: 'error',
      });
      const page = join(dir, 'page.html');
      writeFileSync(page, `<!doctype html><meta charset="utf-8"><pre id="out">pending</pre><script src="page.js"></script>`);
      const { stdout } = await promisify(execFile)(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          `--user-data-dir=${join(dir, 'profile')}`,
          '--virtual-time-budget=60000',
          '--dump-dom',
          `file://${page}`,
        ],
        { timeout: 120_000, maxBuffer: 16 << 20 },
      );
      const text = /<pre id="out">([^<]*)<\/pre>/.exec(stdout)?.[1] ?? '';
      expect(text, 'the page wrote its results').not.toBe('pending');
      const results = JSON.parse(text.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, { width: number; height: number; type: string; data: number[]; error?: string }>;
      for (const [name, bytes] of Object.entries(files)) {
        const node = await decodeImage(bytes, { name });
        expect(results[name].error, name).toBeUndefined();
        expect(results[name], name).toEqual({ width: node.width, height: node.height, type: node.data.constructor.name, data: Array.from(node.data) });
      }
    },
  );
});

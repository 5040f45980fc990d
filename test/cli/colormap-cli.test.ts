/**
 * `filter --cmap` through the built binary with a colormap that is not built in (`bone`, `gray_r`):
 * loaded on demand, and coloured as applyColormap (which equals matplotlib, test/render/colormap-all.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuEngine } from '../../src/cpu/engine.js';
import { encodePng } from '../../src/io/png.js';
import { applyColormap, loadColormap } from '../../src/render/colormap.js';
import { REPO_ROOT } from '../helpers/golden.js';

const cli = join(REPO_ROOT, 'dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'xray-cmap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const width = 19;
const height = 13;
const pixels = Uint8Array.from({ length: width * height }, (_, i) => ((i % width) * 11 + Math.floor(i / width) * 7) % 256);

describe('filter --cmap', () => {
  it.each(['bone', 'gray_r', 'jet'])('colours with %s, loaded on demand', async (cmap) => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" before these tests`);
    const input = join(dir, 'in.png');
    writeFileSync(input, encodePng({ width, height, data: pixels }));
    const out = join(dir, `${cmap}.png`);
    const run = spawnSync(process.execPath, [cli, 'filter', input, '--op', 'sobel-magnitude', '--engine', 'cpu', '--cmap', cmap, '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const engine = createCpuEngine();
    const [expected] = await engine.run({ width, height, data: pixels }, [{ op: 'sobel-magnitude' }]);
    await engine.dispose();
    await loadColormap(cmap);
    expect(new Uint8Array(pngjs.PNG.sync.read(readFileSync(out)).data)).toEqual(applyColormap(expected.data, cmap));
  });

  it('rejects a name matplotlib does not have, with exit status 2', () => {
    const run = spawnSync(process.execPath, [cli, 'filter', 'x.png', '--op', 'sobel', '--cmap', 'bones', '--out', 'x.png'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown colormap "bones": expected a matplotlib 3.6 colormap name');
  });
});

// The batch benchmark's input tree, shaped like ChestX-ray8 (images_00K/images/PPPPPPPP_FFF.png):
// the 9 real samples copied `copies` times (one made-up patient id per copy) plus `synthetic`
// 1024x1024 phantom radiographs (src/synthetic/phantom.ts), all 8-bit gray PNGs.
// A tree.json marker records the recipe, so a tree already built the same way is reused.
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Builds (or reuses) the tree in `dir`. `dist` is the built project (for the phantom and the PNG
 * encoder). Returns the list of relative paths.
 */
export async function buildTree({ dir, samples, copies, synthetic, dist }) {
  const recipe = { version: 1, samples, copies, synthetic };
  const marker = join(dir, 'tree.json');
  const existing = await readFile(marker, 'utf8').then(JSON.parse, () => undefined);
  if (existing && JSON.stringify(existing.recipe) === JSON.stringify(recipe)) return existing.files;

  await rm(dir, { recursive: true, force: true });
  const names = (await readdir(samples)).filter((n) => /^\d{8}_\d{3}\.png$/.test(n)).sort();
  if (names.length === 0) throw new Error(`no ChestX-ray8 samples (PPPPPPPP_FFF.png) in ${samples}; set XRAY_SAMPLES`);
  const files = [];
  const folder = (k) => join('images_' + String(k).padStart(3, '0'), 'images');
  for (let copy = 0; copy < copies; copy++) {
    // Several patients per folder, as in ChestX-ray8 (about 10,000 images per images_00K folder).
    const relativeDir = folder(1 + Math.floor(copy / 4));
    await mkdir(join(dir, relativeDir), { recursive: true });
    const patient = String(10_000 + copy).padStart(8, '0');
    for (const name of names) {
      const relative = join(relativeDir, `${patient}_${name.slice(9)}`);
      await copyFile(join(samples, name), join(dir, relative));
      files.push(relative);
    }
  }
  if (synthetic > 0) {
    const { syntheticSeries } = await import(join(dist, 'src/synthetic/phantom.js'));
    const { encodePng } = await import(join(dist, 'src/io/png.js'));
    const relativeDir = join('synthetic', 'images');
    await mkdir(join(dir, relativeDir), { recursive: true });
    // Level 6 with zlib's default strategy, like the real ChestX-ray8 files (not the fast default).
    const images = syntheticSeries({ size: 1024, followUps: synthetic, seed: 2017 });
    for (const [visit, image] of images.entries()) {
      const relative = join(relativeDir, `90000000_${String(visit).padStart(3, '0')}.png`);
      await writeFile(join(dir, relative), encodePng(image, { level: 6 }));
      files.push(relative);
    }
  }
  await writeFile(marker, JSON.stringify({ recipe, files }, null, 2));
  return files;
}

// CPU time per image of the resize and CLAHE functions on a real 1024x1024 sample (best of 8 rounds,
// process.cpuUsage, so other processes on a shared machine inflate it less than wall time).
//   npm run build --silent && node scripts/bench-resize-clahe.mjs [PNG]
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { resizeAreaUint8, resizeSkimage } from '../dist/src/cpu/resize.js';
import { clahe } from '../dist/src/cpu/clahe.js';
import { toUint8Levels } from '../dist/src/filters/uint8.js';
const png = PNG.sync.read(readFileSync(process.argv[2] ?? new URL('../../shared/data/chestxray8-sample/00000011_001.png', import.meta.url)), { skipRescale: true });
const gray = new Uint8Array(1024 * 1024);
for (let i = 0; i < gray.length; i++) gray[i] = png.data[4 * i];
const img = { width: 1024, height: 1024, data: gray };
const small = { width: 256, height: 256, data: toUint8Levels(resizeSkimage(img, 256, 256).data) };
const cases = [
  ['resizeSkimage 1024->224', () => resizeSkimage(img, 224, 224)],
  ['resizeAreaUint8 1024->224', () => resizeAreaUint8(img, 224, 224)],
  ['resizeSkimage 1024->256', () => resizeSkimage(img, 256, 256)],
  ['clahe 256 (after resize)', () => clahe(small)],
  ['clahe 1024', () => clahe(img)],
];
const best = new Map();
for (let round = 0; round < 8; round++) for (const [name, f] of cases) {
  f(); const t = process.cpuUsage(); const n = name.includes('1024,') ? 2 : 5; for (let i = 0; i < n; i++) f(); const u = process.cpuUsage(t);
  best.set(name, Math.min(best.get(name) ?? Infinity, (u.user + u.system) / 1000 / n));
}
for (const [name, ms] of best) console.log(name.padEnd(28), ms.toFixed(2), 'ms (best of 8 rounds, cpu time)');

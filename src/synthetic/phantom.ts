/**
 * A synthetic PA chest radiograph series for the demo: one made-up patient imaged at several
 * follow-ups, with a lung nodule that grows from visit to visit.
 *
 * X-ray convention: dense tissue (bone, heart, soft tissue) is bright, air is dark. The picture is
 * a sum of smooth analytic shapes in normalised coordinates (u across, v down, both 0..1), so any
 * size renders the same anatomy: body and shoulders, two dark lung fields, mediastinum with spine
 * and trachea, heart, posterior and anterior ribs, clavicles, humeral heads, diaphragm domes, a
 * gastric air bubble, lung texture, noise, and the nodule. Everything random comes from a seeded
 * generator: the same options always give the same bytes.
 */
import type { Image2D } from '../image.js';
import { deriveSeed, mulberry32 } from './prng.js';

/** Options of `syntheticSeries` and `syntheticLesions`. */
export interface SyntheticSeriesOptions {
  /** Width and height in pixels (64..8192). Default 1024, the ChestX-ray8 size. */
  size?: number;
  /** Number of images (visits) in the series (1..1000). Default 9, like the tutorial's 000..008. */
  followUps?: number;
  /** Seed for anatomy variation, nodule placement and noise (an integer 0..2^32-1). Default 11. */
  seed?: number;
}

/** Where the nodule is in one image, in pixels (centre column x, row y; radius). */
export interface SyntheticLesion {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
}

const DEFAULTS = { size: 1024, followUps: 9, seed: 11 } as const;

/** Nodule radius at the first and the last visit, as a fraction of the image size. */
const LESION_RADIUS_FIRST = 0.008;
const LESION_RADIUS_LAST = 0.038;

/** The images of the series, in visit order: 8-bit gray, size x size. */
export function syntheticSeries(options: SyntheticSeriesOptions = {}): Image2D<Uint8Array>[] {
  const { size, followUps, seed } = validate(options);
  const anatomy = anatomyFor(seed);
  return Array.from({ length: followUps }, (_, visit) =>
    renderVisit(anatomy, size, lesionRadius(visit, followUps), deriveSeed(seed, visit)),
  );
}

/** The nodule of each image of `syntheticSeries(options)`, in pixels. */
export function syntheticLesions(options: SyntheticSeriesOptions = {}): SyntheticLesion[] {
  const { size, followUps, seed } = validate(options);
  const { lesionU, lesionV } = anatomyFor(seed);
  return Array.from({ length: followUps }, (_, visit) => ({
    x: lesionU * size - 0.5,
    y: lesionV * size - 0.5,
    radius: lesionRadius(visit, followUps) * size,
  }));
}

function validate(options: SyntheticSeriesOptions): Required<SyntheticSeriesOptions> {
  const { size = DEFAULTS.size, followUps = DEFAULTS.followUps, seed = DEFAULTS.seed } = options;
  if (!Number.isInteger(size) || size < 64 || size > 8192) {
    throw new RangeError(`synthetic image size must be an integer from 64 to 8192, got ${size}`);
  }
  if (!Number.isInteger(followUps) || followUps < 1 || followUps > 1000) {
    throw new RangeError(`synthetic follow-up count must be an integer from 1 to 1000, got ${followUps}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`synthetic seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  return { size, followUps, seed };
}

function lesionRadius(visit: number, followUps: number): number {
  const progress = followUps === 1 ? 0 : visit / (followUps - 1);
  return LESION_RADIUS_FIRST + (LESION_RADIUS_LAST - LESION_RADIUS_FIRST) * progress;
}

/** What varies from one made-up patient to another (drawn from the seed). */
interface Anatomy {
  heartScale: number;
  ribSpacing: number;
  lungWidth: number;
  lesionU: number;
  lesionV: number;
  /** Smooth lung texture, TEXTURE_GRID x TEXTURE_GRID values in about [-1, 1], sampled bilinearly. */
  texture: Float32Array;
  /** Pulmonary vessels branching out from the hila, VESSEL_GRID x VESSEL_GRID values in [0, 1]. */
  vessels: Float32Array;
}

const TEXTURE_GRID = 40;
const VESSEL_GRID = 384;

function anatomyFor(seed: number): Anatomy {
  const random = mulberry32(deriveSeed(seed, 0x7fffffff));
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const heartScale = between(0.93, 1.07);
  const ribSpacing = between(0.055, 0.061);
  const lungWidth = between(0.145, 0.16);
  // The nodule sits in the lower half of the image-left lung (patient's right), or high in the
  // image-right lung, away from the heart.
  const left = random() < 0.6;
  const lesionU = left ? between(0.24, 0.36) : between(0.64, 0.76);
  const lesionV = left ? between(0.40, 0.58) : between(0.26, 0.40);
  const coarse = Float32Array.from({ length: TEXTURE_GRID * TEXTURE_GRID }, () => random() * 2 - 1);
  // One 3x3 box pass so neighbouring grid cells correlate: blotchy vessel-like texture, not speckle.
  const texture = new Float32Array(coarse.length);
  for (let j = 0; j < TEXTURE_GRID; j++) {
    for (let i = 0; i < TEXTURE_GRID; i++) {
      let sum = 0;
      for (let dj = -1; dj <= 1; dj++) {
        for (let di = -1; di <= 1; di++) {
          const jj = Math.min(TEXTURE_GRID - 1, Math.max(0, j + dj));
          const ii = Math.min(TEXTURE_GRID - 1, Math.max(0, i + di));
          sum += coarse[jj * TEXTURE_GRID + ii];
        }
      }
      texture[j * TEXTURE_GRID + i] = (sum / 9) * 2.2;
    }
  }
  return { heartScale, ribSpacing, lungWidth, lesionU, lesionV, texture, vessels: vesselTree(random) };
}

/**
 * Lung markings: from each hilum, a few vessels run outwards, wandering slightly, and fork into
 * thinner branches until they fade towards the lung periphery. Drawn once per anatomy on a coarse grid.
 */
function vesselTree(random: () => number): Float32Array {
  const map = new Float32Array(VESSEL_GRID * VESSEL_GRID);
  const stamp = (u: number, v: number, radius: number, strength: number) => {
    const r = Math.max(radius * VESSEL_GRID, 0.7);
    const cx = u * VESSEL_GRID;
    const cy = v * VESSEL_GRID;
    for (let y = Math.max(0, Math.floor(cy - r - 1)); y <= Math.min(VESSEL_GRID - 1, Math.ceil(cy + r + 1)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r - 1)); x <= Math.min(VESSEL_GRID - 1, Math.ceil(cx + r + 1)); x++) {
        const distance = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const value = strength * (1 - smoothstep(0, r + 1, distance)); // soft, blood-filled tube
        const k = y * VESSEL_GRID + x;
        if (value > map[k]) map[k] = value;
      }
    }
  };
  const branch = (u: number, v: number, angle: number, width: number, depth: number) => {
    const length = 0.045 + 0.05 * random();
    const steps = Math.ceil(length / 0.003);
    for (let step = 0; step < steps; step++) {
      angle += (random() - 0.5) * 0.25;
      u += Math.cos(angle) * 0.003;
      v += Math.sin(angle) * 0.003;
      stamp(u, v, width, Math.min(1, width / 0.005));
    }
    if (depth >= 4 || width < 0.0015) return;
    const spread = 0.25 + 0.25 * random();
    branch(u, v, angle - spread, width * 0.72, depth + 1);
    branch(u, v, angle + spread, width * 0.72, depth + 1);
  };
  for (const side of [-1, 1]) {
    const hilumU = 0.5 + side * 0.1;
    // Upper, middle and lower lobe vessels; angles measured from the image x axis, y down.
    for (const towards of [-0.9, -0.35, 0.2, 0.75]) {
      const angle = side < 0 ? Math.PI - towards : towards;
      branch(hilumU, 0.45 + 0.03 * towards, angle + (random() - 0.5) * 0.2, 0.0065, 0);
    }
  }
  return map;
}

function sampleVessels(vessels: Float32Array, u: number, v: number): number {
  const gx = Math.min(VESSEL_GRID - 1.001, Math.max(0, u * VESSEL_GRID - 0.5));
  const gy = Math.min(VESSEL_GRID - 1.001, Math.max(0, v * VESSEL_GRID - 0.5));
  const i = Math.floor(gx);
  const j = Math.floor(gy);
  const fx = gx - i;
  const fy = gy - j;
  const k = j * VESSEL_GRID + i;
  const top = vessels[k] + (vessels[k + 1] - vessels[k]) * fx;
  const bottom = vessels[k + VESSEL_GRID] + (vessels[k + VESSEL_GRID + 1] - vessels[k + VESSEL_GRID]) * fx;
  return top + (bottom - top) * fy;
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
}

/** 1 inside, 0 outside, a soft edge of width `soft` (all in normalised units). */
function inside(distanceOutside: number, soft: number): number {
  return 1 - smoothstep(-soft, soft, distanceOutside);
}

function sampleTexture(texture: Float32Array, u: number, v: number): number {
  const gx = Math.min(TEXTURE_GRID - 1.001, Math.max(0, u * (TEXTURE_GRID - 1)));
  const gy = Math.min(TEXTURE_GRID - 1.001, Math.max(0, v * (TEXTURE_GRID - 1)));
  const i = Math.floor(gx);
  const j = Math.floor(gy);
  const fx = gx - i;
  const fy = gy - j;
  const k = j * TEXTURE_GRID + i;
  const top = texture[k] + (texture[k + 1] - texture[k]) * fx;
  const bottom = texture[k + TEXTURE_GRID] + (texture[k + TEXTURE_GRID + 1] - texture[k + TEXTURE_GRID]) * fx;
  return top + (bottom - top) * fy;
}

/** Top of the body at distance d from the midline: the neck, then shoulders sloping down. */
function shoulderTop(d: number): number {
  const beyondNeck = Math.max(0, d - 0.1);
  return 0.05 + 0.4 * beyondNeck * beyondNeck - 0.12 * (1 - smoothstep(0.08, 0.14, d));
}

/** Half the body's width at height v: the chest wall widens downwards. */
function bodyHalfWidth(v: number): number {
  return 0.44 + 0.035 * smoothstep(0.1, 0.6, v);
}

/** A lung's half-width at height v: narrow at the apex, widest at the base. */
function lungHalfWidth(v: number, width: number): number {
  return width * (0.55 + 0.45 * smoothstep(0.1, 0.5, v));
}

/** Where the lungs start, seen from the midline: the mediastinum is narrow at the top, widest at the hila. */
function lungMedialEdge(v: number): number {
  return 0.055 + 0.025 * Math.sin(Math.PI * smoothstep(0.1, 0.75, v));
}

/**
 * One lung field, 0..1: its medial edge follows the mediastinum, it widens from a narrow rounded
 * apex to its base, and its floor is the diaphragm dome, lowest at the costophrenic angle.
 * `d` is the distance from the midline; `side` -1 is image left (patient's right).
 */
function lungMask(d: number, v: number, side: number, halfWidth: number, medialEdge: number): number {
  const across = (d - (medialEdge + halfWidth)) / halfWidth; // -1 medial edge .. +1 lateral edge
  if (across < -1.1 || across > 1.1) return 0;
  const apex = 0.1 + 0.07 * across * across;
  const dome = (side < 0 ? 0.69 : 0.715) + 0.035 * (across + 0.3) * (across + 0.3);
  return inside(Math.abs(across) - 1, 0.03) * inside(apex - v, 0.006) * inside(v - dome, 0.005);
}

/**
 * Bright rib bands in one column (at distance d from the midline), as per-column constants:
 * posterior ribs leave the spine and curve down laterally; fainter anterior ribs run down medially
 * from the side and end at the costal cartilage. `ribs` evaluates them at a height v.
 */
interface RibColumn {
  /** 0 where no rib shows in this column. */
  posteriorWeight: number;
  posteriorShift: number;
  anteriorWeight: number;
  anteriorShift: number;
}

function ribColumn(d: number): RibColumn {
  const lateralFade = d < 0.03 || d > 0.45 ? 0 : inside(d - 0.43, 0.01) * smoothstep(0.03, 0.05, d);
  const fromSide = 0.43 - d;
  return {
    posteriorWeight: 26 * lateralFade,
    posteriorShift: -0.22 * d + 1.0 * d * d,
    anteriorWeight: d < 0.12 ? 0 : 11 * lateralFade * smoothstep(0.12, 0.16, d),
    anteriorShift: 0.5 * fromSide * fromSide + 0.15 * fromSide,
  };
}

function ribs(column: RibColumn, v: number, spacing: number): number {
  let value = 0;
  if (column.posteriorWeight > 0) value += column.posteriorWeight * ribBand(v - column.posteriorShift, 0.085, spacing, 0.017);
  if (column.anteriorWeight > 0) value += column.anteriorWeight * ribBand(v - column.anteriorShift, 0.1, spacing * 1.15, 0.013);
  return value;
}

/** 1 on the nearest of ten ribs at p_k = first + spacing k + 0.0012 k^2, else 0 (soft edges). */
function ribBand(p: number, first: number, spacing: number, thickness: number): number {
  const growth = 0.0012; // ribs are spaced a little wider lower down
  if (p < first - thickness) return 0;
  const kReal = (-spacing + Math.sqrt(spacing * spacing + 4 * growth * Math.max(0, p - first))) / (2 * growth);
  const k = Math.round(kReal);
  if (k > 9) return 0;
  const centre = first + spacing * k + growth * k * k;
  const halfThick = (thickness + 0.0012 * k) / 2;
  const distance = Math.abs(p - centre);
  // Cortical bone at the rib's edges reads a little brighter than its middle.
  const cortex = 1 + 0.25 * smoothstep(halfThick * 0.5, halfThick * 0.9, distance);
  return inside(distance - halfThick, 0.0025) * cortex;
}

/** Distance from (u, v) to a clavicle: a gently S-curved bone from the sternum to the shoulder. */
function clavicle(u: number, v: number, side: number): number {
  const ax = 0.5 + side * 0.055;
  const ay = 0.18;
  const bx = 0.5 + side * 0.31;
  const by = 0.1;
  const ex = bx - ax;
  const ey = by - ay;
  const t = Math.min(1, Math.max(0, ((u - ax) * ex + (v - ay) * ey) / (ex * ex + ey * ey)));
  const bow = 0.012 * Math.sin(2 * Math.PI * t); // the clavicle's S shape
  const dx = u - (ax + ex * t);
  const dy = v - (ay + ey * t + bow);
  return Math.sqrt(dx * dx + dy * dy);
}

function renderVisit(anatomy: Anatomy, size: number, lesionRadiusNorm: number, noiseSeed: number): Image2D<Uint8Array> {
  const { heartScale, ribSpacing, lungWidth, lesionU, lesionV, texture, vessels } = anatomy;
  const random = mulberry32(noiseSeed);
  // A slightly different exposure at each visit, as between real acquisitions.
  const gain = 0.97 + 0.06 * random();
  const data = new Uint8Array(size * size);
  const heartRu = 0.165 * heartScale;
  const heartRv = 0.115 * heartScale;
  const lesionR2 = lesionRadiusNorm * lesionRadiusNorm;
  // What depends only on the column, computed once per image.
  const tops = Float64Array.from({ length: size }, (_, x) => shoulderTop(Math.abs((x + 0.5) / size - 0.5)));
  const ribColumns = Array.from({ length: size }, (_, x) => ribColumn(Math.abs((x + 0.5) / size - 0.5)));
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5) / size;
    const halfWidth = bodyHalfWidth(v);
    const lungHalf = lungHalfWidth(v, lungWidth);
    const medialEdge = lungMedialEdge(v);
    // Below the diaphragm the beam crosses liver and bowel: brighter than the chest wall.
    const abdomen = 28 * smoothstep(0.68, 0.84, v);
    const vertebra = 11 + 4 * Math.cos((2 * Math.PI * v) / 0.052);
    const trachea = 24 * inside(v - 0.34, 0.02);
    const nearClavicles = v < 0.26;
    const nearLungs = v > 0.08 && v < 0.84;
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const dx = u - 0.5;
      const d = Math.abs(dx);
      const side = dx < 0 ? -1 : 1;
      const body = inside(tops[x] - v, 0.008) * inside(d - halfWidth, 0.006);

      // Soft tissue, thicker (brighter) towards the midline.
      let value = 14 + body * (96 + abdomen + 50 * (1 - Math.min(1, (d / 0.47) ** 2)));

      let lung = 0;
      if (nearLungs && d > 0.04) {
        lung = lungMask(d, v, side, lungHalf, medialEdge);
        if (lung > 0) {
          // The heart (its apex down and to the patient's left, image right) and the aortic knob hide lung.
          const hu = (u - 0.545) / heartRu;
          const hv = (v - 0.65) / heartRv;
          const hr = hu * hu + hv * hv - 0.5 * hu * hv;
          const ku = (u - 0.565) / 0.04;
          const kv = (v - 0.33) / 0.04;
          const notLung = Math.max(1 - smoothstep(0.8, 1.0, hr), 1 - smoothstep(0.7, 1.0, ku * ku + kv * kv));
          lung *= 1 - notLung;
        }
        if (lung > 0) {
          // Hilar shadows (vessels, bronchi) lighten the lungs near their roots; texture does the rest.
          const hx = d - 0.1;
          const hy = v - 0.45;
          const hilum = Math.exp(-Math.sqrt(hx * hx + hy * hy) / 0.08);
          const markings = 22 * sampleVessels(vessels, u, v);
          value -= lung * (84 - 26 * hilum - markings + 12 * sampleTexture(texture, u, v));
        }
      }

      // Spine behind the mediastinum: vertebral bodies with darker disc spaces; the trachea's air column.
      if (d < 0.04) value += inside(d - 0.03, 0.004) * vertebra - trachea * inside(d - 0.016, 0.003);

      // Ribs read clearly against air, faintly against the mediastinum and abdomen.
      if (nearLungs) value += body * (0.3 + 0.7 * lung) * ribs(ribColumns[x], v, ribSpacing);
      if (nearClavicles) value += 38 * inside(clavicle(u, v, side) - 0.013, 0.003);
      // Humeral heads in the top corners.
      if (nearClavicles && d > 0.38) {
        const su = (d - 0.455) / 0.07;
        const sv = (v - 0.165) / 0.075;
        value += 30 * body * (1 - smoothstep(0.8, 1.0, su * su + sv * sv));
      }

      // Gastric air bubble under the image-right (patient's left) hemidiaphragm.
      const gu = (u - 0.635) / 0.05;
      const gv = (v - 0.79) / 0.028;
      if (gu * gu + gv * gv < 1) value -= 26 * (1 - smoothstep(0.5, 1.0, gu * gu + gv * gv));

      // The nodule: a solid sphere's projected thickness, sqrt(1 - r^2 / R^2).
      const lu = u - lesionU;
      const lv = v - lesionV;
      const r2 = (lu * lu + lv * lv) / lesionR2;
      if (r2 < 1) value += 58 * Math.sqrt(1 - r2);

      // Detector falloff towards the corners, exposure, then mild noise.
      value *= gain * (1 - 0.35 * (dx * dx + (v - 0.5) * (v - 0.5)));
      value += (random() - 0.5) * 7; // uniform, standard deviation 2
      data[y * size + x] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
  }
  return { width: size, height: size, data };
}

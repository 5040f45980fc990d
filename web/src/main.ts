/**
 * The viewer page: loads images (open, drop, or ?image=URL, several = a series), shows the
 * tutorial's panels and prepare's stages (resize, CLAHE: "Training preparation") computed by the
 * GPU engine (or the CPU engine in a worker), and recomputes only
 * the panels a control change affects. Test hooks: <body data-status="loading|busy|ready|empty|error">,
 * data-error, and window.__xray (see ViewerHooks).
 */
import {
  type Image2D,
  type ImageStats,
  type PixelArray,
  applyColormap,
  centerCrop,
  COLORMAP_NAMES,
  decodeImage,
  dtypeOf,
  encodeNpy,
  toUint8Levels,
} from '../../src/index.js';
import { drawHistogram, drawRgba } from './draw.js';
import {
  type PanelInput,
  type PanelKey,
  type PanelSpec,
  type ParamName,
  TEXT_PARAMS,
  type ViewerParams,
  VIEWER_DEFAULTS,
  panelSpecs,
  panelTitle,
  panelsAffectedBy,
  validateParams,
} from './panels.js';
import type { ViewerHooks } from './hooks.js';
import type { PanelJob, WirePanel } from './protocol.js';
import { type EngineChoice, type ViewerEngine, openViewerEngine } from './viewer-engine.js';

/** The worker's bundled source, put in by scripts/build-web.mjs. */
declare const __XRAY_WORKER_SOURCE__: string;

const HISTOGRAM_BINS = 256;

interface LoadedImage {
  name: string;
  image: Image2D;
}

interface PanelResult {
  values: PixelArray;
  rgba: Uint8Array;
  width: number;
  height: number;
  summary: { min: number; max: number; mean: number };
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const series: LoadedImage[] = [];
let current = -1;
let params: ViewerParams = { ...VIEWER_DEFAULTS };
let specs = panelSpecs(params);
/** The panels for the current controls and image. */
const refreshSpecs = () => {
  specs = panelSpecs(params, series[current] ? dtypeOf(series[current].image.data) : 'uint8');
};
const colormaps = new Map<PanelKey, string>(specs.map((spec) => [spec.key, spec.colormap]));
const results = new Map<PanelKey, PanelResult>();
let engine: ViewerEngine | undefined;

const hooks: ViewerHooks = {
  engine: undefined,
  description: '',
  image: undefined,
  stats: undefined,
  histogram: [],
  panels: {},
  changes: [],
  values(key) {
    const result = results.get(key as PanelKey);
    if (!result) throw new Error(`no panel "${key}" has been computed`);
    return Array.from(result.values);
  },
};
window.__xray = hooks;

// ---- status ----------------------------------------------------------------------------------

function setStatus(status: 'loading' | 'busy' | 'ready' | 'empty' | 'error', error?: string): void {
  document.body.dataset.status = status;
  const line = $('error');
  if (status === 'error') {
    document.body.dataset.error = error ?? 'unknown error';
    line.textContent = error ?? 'unknown error';
    line.hidden = false;
  } else {
    delete document.body.dataset.error;
    line.hidden = true;
  }
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error);
  setStatus('error', message);
}

// ---- work queue: changes are merged while one is running, so a dragged slider never piles up work ----

interface Work {
  labels: string[];
  compute: Set<PanelKey>;
  recolor: Set<PanelKey>;
  analyse: boolean;
}

let pending: Work | undefined;
let running = false;

function schedule(label: string, change: Partial<Omit<Work, 'labels'>>): void {
  pending ??= { labels: [], compute: new Set(), recolor: new Set(), analyse: false };
  pending.labels.push(label);
  change.compute?.forEach((key) => pending!.compute.add(key));
  change.recolor?.forEach((key) => pending!.recolor.add(key));
  pending.analyse ||= change.analyse ?? false;
  if (!running) void drain();
}

async function drain(): Promise<void> {
  running = true;
  setStatus('busy');
  try {
    while (pending) {
      const work = pending;
      pending = undefined;
      await perform(work);
    }
    setStatus(current < 0 ? 'empty' : 'ready');
  } catch (error) {
    pending = undefined;
    fail(error);
  } finally {
    running = false;
  }
}

async function perform(work: Work): Promise<void> {
  const loaded = series[current];
  if (!loaded || !engine) return;
  const t0 = performance.now();
  const { image } = loaded;
  const [panels, analysis] = await Promise.all([
    computePanels(engine, image, specs.filter((spec) => spec.request && work.compute.has(spec.key))),
    work.analyse ? engine.analyse(image, HISTOGRAM_BINS) : Promise.resolve(undefined),
  ]);
  if (series[current] !== loaded) return; // the user moved on; the next work item draws the new image
  for (const panel of panels) {
    setResult(panel.key as PanelKey, panel.width, panel.height, panel.values, panel.rgba);
  }
  for (const key of work.recolor) {
    if (work.compute.has(key)) continue;
    const result = key === 'original' ? { ...image, values: image.data } : results.get(key);
    if (result) setResult(key, result.width, result.height, result.values, applyColormap(result.values, colormaps.get(key)!));
  }
  if (analysis) showAnalysis(loaded, analysis.stats, analysis.counts);
  const ms = performance.now() - t0;
  const touched = [...new Set([...work.compute, ...work.recolor])];
  hooks.changes.push({ label: work.labels.join(' + '), ms, panels: touched });
  $('times').textContent = `${work.labels.join(' + ')}: ${ms.toFixed(1)} ms for ${touched.length} panel${touched.length === 1 ? '' : 's'} on ${engine.name}`;
}

/**
 * Runs the panels' requests on the engine, each on its input: the image and its center crop first,
 * then CLAHE on the resized panel's 8-bit levels (this round's, or the one drawn already when only
 * CLAHE's controls changed), as prepare chains its stages.
 */
async function computePanels(on: ViewerEngine, image: Image2D, computed: PanelSpec[]): Promise<WirePanel[]> {
  const jobs = (input: PanelInput): PanelJob[] =>
    computed.filter((spec) => spec.input === input).map((spec) => ({ key: spec.key, request: spec.request!, colormap: colormaps.get(spec.key)! }));
  const run = (source: () => Image2D, list: PanelJob[]) => (list.length > 0 ? on.compute(source(), list) : Promise.resolve([]));
  const first = (await Promise.all([run(() => image, jobs('image')), run(() => centerCrop(image), jobs('center-crop'))])).flat();
  const resized = first.find((panel) => panel.key === 'resize') ?? results.get('resize');
  const levelJobs = jobs('resize-levels');
  if (levelJobs.length > 0 && !resized) throw new Error('CLAHE needs the resized panel, which has not been computed');
  const second = await run(() => ({ width: resized!.width, height: resized!.height, data: toUint8Levels(resized!.values) }), levelJobs);
  return [...first, ...second];
}

function setResult(key: PanelKey, width: number, height: number, values: PanelResult['values'], rgba: Uint8Array): void {
  const result: PanelResult = { values, rgba, width, height, summary: summarise(values) };
  results.set(key, result);
  const spec = specs.find((s) => s.key === key)!;
  const colormap = colormaps.get(key)!;
  const figure = document.querySelector<HTMLElement>(`figure[data-panel="${key}"]`)!;
  figure.querySelector('figcaption')!.textContent = key === 'original' ? `Original: ${series[current].name}` : panelTitle(spec, colormap);
  drawRgba(figure.querySelector('canvas')!, width, height, rgba);
  const { min, max, mean } = result.summary;
  figure.querySelector('.summary')!.textContent = `min ${format(min)}  max ${format(max)}  mean ${format(mean)}`;
  figure.dataset.drawn = 'true';
  hooks.panels[key] = { title: panelTitle(spec, colormap), colormap, width, height, min, max, mean };
}

function summarise(values: ArrayLike<number>): PanelResult['summary'] {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / values.length };
}

function format(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(5);
}

// ---- panels ------------------------------------------------------------------------------------

function buildPanels(): void {
  const containers = { tutorial: $('panels'), prepare: $('prepare-panels') };
  Object.values(containers).forEach((container) => container.replaceChildren());
  for (const spec of specs) {
    const figure = document.createElement('figure');
    figure.dataset.panel = spec.key;
    const caption = document.createElement('figcaption');
    caption.textContent = spec.title;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const summary = document.createElement('p');
    summary.className = 'summary';
    const tools = document.createElement('div');
    tools.className = 'tools';
    const select = document.createElement('select');
    select.title = 'colormap';
    select.setAttribute('aria-label', `colormap of ${spec.title}`);
    for (const name of COLORMAP_NAMES) select.add(new Option(name, name, false, name === colormaps.get(spec.key)));
    select.addEventListener('change', () => {
      colormaps.set(spec.key, select.value);
      schedule(`colormap of ${spec.key} → ${select.value}`, { recolor: new Set([spec.key]) });
    });
    const png = button('PNG', `download ${spec.key} as shown (PNG)`, () => downloadPng(spec, canvas));
    const npy = button('.npy', `download the raw ${spec.key} values (.npy)`, () => downloadNpy(spec));
    tools.append(select, png, npy);
    figure.append(caption, canvas, summary, tools);
    containers[spec.group].append(figure);
  }
}

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.title = title;
  element.addEventListener('click', onClick);
  return element;
}

function baseName(): string {
  return (series[current]?.name ?? 'image').replace(/\.[^.]*$/, '');
}

function downloadPng(spec: PanelSpec, canvas: HTMLCanvasElement): void {
  if (!results.has(spec.key)) return;
  canvas.toBlob((blob) => {
    if (blob) save(blob, `${baseName()}-${spec.key}-${colormaps.get(spec.key)}.png`);
  }, 'image/png');
}

function downloadNpy(spec: PanelSpec): void {
  const result = results.get(spec.key);
  if (!result) return;
  const bytes = encodeNpy([result.height, result.width], result.values);
  save(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `${baseName()}-${spec.key}.npy`);
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---- controls ----------------------------------------------------------------------------------

const CONTROL_LABELS: Record<ParamName, string> = {
  logSigma: 'LoG σ',
  gradientSigma: 'gradient σ',
  threshold: 'threshold',
  cannySigma: 'Canny σ',
  cannyLow: 'Canny low',
  cannyHigh: 'Canny high',
  crop: 'crop',
  size: 'size',
  resize: 'resize',
  claheClip: 'CLAHE clip',
  claheKernel: 'CLAHE kernel',
};

function wireControls(): void {
  for (const name of Object.keys(CONTROL_LABELS) as ParamName[]) {
    const input = $<HTMLInputElement | HTMLSelectElement>(`param-${name}`);
    input.value = String(params[name]);
    // Text fields and choices apply when committed (Enter, leaving the field, a choice), numbers as they change.
    const text = TEXT_PARAMS.includes(name);
    input.addEventListener(text ? 'change' : 'input', () => {
      const next = { ...params, [name]: text ? input.value : (input as HTMLInputElement).valueAsNumber };
      try {
        validateParams(next);
      } catch (error) {
        fail(error);
        return;
      }
      params = next;
      refreshSpecs();
      schedule(`${CONTROL_LABELS[name]} → ${input.value}`, { compute: new Set(panelsAffectedBy([name])) });
    });
  }
}

// ---- images ------------------------------------------------------------------------------------

async function addImages(files: { name: string; bytes: () => Promise<ArrayBuffer | Uint8Array> }[]): Promise<void> {
  if (files.length === 0) return;
  setStatus('loading');
  const loaded: LoadedImage[] = [];
  for (const file of files) {
    const content = await file.bytes();
    const bytes = content instanceof Uint8Array ? content : new Uint8Array(content);
    loaded.push({ name: file.name, image: await decodeImage(bytes, { name: file.name }) });
  }
  const first = series.length;
  series.push(...loaded);
  refreshSeries();
  show(first);
}

function show(index: number): void {
  if (index < 0 || index >= series.length) return;
  current = index;
  refreshSpecs();
  results.clear();
  hooks.panels = {};
  document.querySelectorAll<HTMLElement>('figure[data-panel]').forEach((figure) => delete figure.dataset.drawn);
  // A panel this image does not get (CLAHE of a non-8-bit image) says why instead of showing the last image's.
  for (const spec of specs.filter((s) => !s.request && s.key !== 'original')) {
    const figure = document.querySelector<HTMLElement>(`figure[data-panel="${spec.key}"]`)!;
    figure.querySelector('figcaption')!.textContent = spec.title;
    figure.querySelector('canvas')!.width = figure.querySelector('canvas')!.height = 1;
    figure.querySelector('.summary')!.textContent = '';
  }
  const { name, image } = series[index];
  hooks.image = { name, width: image.width, height: image.height, dtype: dtypeOf(image.data) };
  refreshSeries();
  schedule(`image ${name}`, {
    compute: new Set(specs.filter((spec) => spec.request).map((spec) => spec.key)),
    recolor: new Set(['original']),
    analyse: true,
  });
}

function refreshSeries(): void {
  const list = $<HTMLSelectElement>('image-list');
  list.replaceChildren(...series.map((item, i) => new Option(`${i + 1}. ${item.name}`, String(i), false, i === current)));
  $('position').textContent = series.length > 0 ? `${current + 1} / ${series.length}` : 'no image';
  $<HTMLButtonElement>('prev').disabled = current <= 0;
  $<HTMLButtonElement>('next').disabled = current >= series.length - 1;
}

function showAnalysis(loaded: LoadedImage, stats: ImageStats, counts: Uint32Array): void {
  hooks.stats = stats;
  hooks.histogram = Array.from(counts);
  const { image } = loaded;
  const rows: [string, string][] = [
    ['image', loaded.name],
    ['size', `${image.width} x ${image.height} ${dtypeOf(image.data)}`],
    ['min', format(stats.min)],
    ['max', format(stats.max)],
    ['mean', format(stats.mean)],
    ['median', format(stats.median)],
  ];
  $('stats').replaceChildren(...rows.map(([name, value]) => {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.textContent = name;
    const td = document.createElement('td');
    td.textContent = value;
    row.append(th, td);
    return row;
  }));
  drawHistogram($<HTMLCanvasElement>('histogram'), counts, stats.min, stats.max, `Pixel intensity distribution: ${loaded.name}`);
}

function fileName(url: string): string {
  const path = new URL(url, location.href).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${url}: could not be fetched (from file:// pages Chromium needs --allow-file-access-from-files)`, { cause: error });
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

function wireImageInputs(): void {
  const open = $<HTMLInputElement>('open');
  open.addEventListener('change', () => {
    const files = [...(open.files ?? [])];
    open.value = '';
    addImages(files.map((file) => ({ name: file.name, bytes: () => file.arrayBuffer() }))).catch(fail);
  });
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    document.body.classList.remove('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    addImages(files.map((file) => ({ name: file.name, bytes: () => file.arrayBuffer() }))).catch(fail);
  });
  $('prev').addEventListener('click', () => show(current - 1));
  $('next').addEventListener('click', () => show(current + 1));
  $<HTMLSelectElement>('image-list').addEventListener('change', (event) => show(Number((event.target as HTMLSelectElement).value)));
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    if (event.key === 'ArrowLeft') show(current - 1);
    if (event.key === 'ArrowRight') show(current + 1);
  });
}

// ---- start -------------------------------------------------------------------------------------

async function start(): Promise<void> {
  setStatus('loading');
  const query = new URLSearchParams(location.search);
  const choice = (query.get('engine') ?? 'auto') as EngineChoice;
  if (!['auto', 'gpu', 'cpu'].includes(choice)) throw new RangeError(`?engine= must be auto, gpu or cpu, got "${choice}"`);
  buildPanels();
  wireControls();
  wireImageInputs();
  engine = await openViewerEngine(choice, __XRAY_WORKER_SOURCE__);
  hooks.engine = engine.name;
  hooks.description = engine.description;
  $('engine-line').textContent = `Engine: ${engine.description}`;
  const urls = query.getAll('image');
  const opened = (await window.xrayDesktop?.openedImages()) ?? [];
  await addImages([
    ...urls.map((url) => ({ name: fileName(url), bytes: () => fetchBytes(url) })),
    ...opened.map(({ name, bytes }) => ({ name, bytes: async () => bytes })),
  ]);
  if (urls.length === 0 && opened.length === 0) setStatus('empty');
}

start().catch(fail);

/**
 * What the viewer page exposes to tests, links and desktop shells: `window.__xray` (read) and
 * `window.xrayDesktop` (given by the shell). Types only; tests import them to type page.evaluate.
 */
import type { ImageStats } from '../../src/index.js';
import type { PanelKey } from './panels.js';

/** One processed change: what triggered it, how long until every affected panel was drawn, and which panels. */
export interface ChangeRecord {
  label: string;
  ms: number;
  panels: PanelKey[];
}

/** What tests (and links) read from the page. */
export interface ViewerHooks {
  engine: 'gpu' | 'cpu' | undefined;
  description: string;
  image: { name: string; width: number; height: number; dtype: string } | undefined;
  stats: ImageStats | undefined;
  histogram: number[];
  /** Each drawn panel: its caption, colormap, size (prepare's stages resize) and value summary. */
  panels: Record<string, { title: string; colormap: string; width: number; height: number; min: number; max: number; mean: number }>;
  changes: ChangeRecord[];
  /** A panel's raw values (as numbers), for comparing with another engine. */
  values(key: string): number[];
}

/**
 * What a desktop shell may give the page (examples/electron/preload.js exposes it with contextBridge):
 * the images named on its command line, read by the main process, since a sandboxed page cannot read files.
 */
export interface DesktopBridge {
  openedImages(): Promise<{ name: string; bytes: Uint8Array }[]>;
}

declare global {
  interface Window {
    __xray: ViewerHooks;
    xrayDesktop?: DesktopBridge;
  }
}

/**
 * Figures of titled image panels, like the tutorial's matplotlib subplots: a grid comparing the
 * filter outputs of one image, and a strip of a patient's follow-ups side by side.
 */
import {
  drawImage,
  encodePng,
  font,
  measuringContext,
  toRgba,
  whiteCanvas,
  wrapText,
  type FigureImage,
} from './canvas.js';

/** One titled panel of a figure. */
export interface FigurePanel {
  title: string;
  /** RGBA (e.g. from `colormapImage`) or 8-bit gray. */
  image: FigureImage;
}

/** Options of `comparisonFigure`. */
export interface ComparisonFigureOptions {
  /** Panels per row. Default: all in one row up to 4, then rows of 4. */
  columns?: number;
  /** Longest side of each panel's image in pixels (32..2048). Default 320. */
  panelSize?: number;
  /** A title over the whole figure (matplotlib's suptitle). */
  title?: string;
}

/** Options of `stripFigure`. */
export interface StripFigureOptions {
  /** Longest side of each frame in pixels (32..2048). Default 192. */
  frameSize?: number;
  /** A title over the strip. */
  title?: string;
}

const MARGIN = 16;
const GAP = 14;
const PANEL_TITLE_PX = 15;
const FIGURE_TITLE_PX = 20;
const TITLE_LINES = 2;
const LINE_HEIGHT = 1.3;

/** A grid of titled panels on white, as PNG bytes; images are scaled to fit `panelSize`. */
export function comparisonFigure(panels: readonly FigurePanel[], options: ComparisonFigureOptions = {}): Uint8Array {
  const { columns = Math.min(4, panels.length), panelSize = 320, title } = options;
  if (panels.length === 0) throw new RangeError('a comparison figure needs at least one panel, got 0');
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(`comparison figure columns must be a positive integer, got ${columns}`);
  }
  assertPanelSize('comparison figure panelSize', panelSize);
  return panelGrid(panels, columns, panelSize, title);
}

/**
 * The frames side by side in one row, each under its title (e.g. follow-up file names), as PNG bytes.
 * `titles[i]` names `frames[i]`; the counts must match.
 */
export function stripFigure(
  frames: readonly FigureImage[],
  titles: readonly string[],
  options: StripFigureOptions = {},
): Uint8Array {
  const { frameSize = 192, title } = options;
  if (frames.length === 0) throw new RangeError('a strip figure needs at least one frame, got 0');
  if (titles.length !== frames.length) {
    throw new RangeError(`a strip figure needs one title per frame, got ${titles.length} titles for ${frames.length} frames`);
  }
  assertPanelSize('strip figure frameSize', frameSize);
  const panels = frames.map((image, i) => ({ title: titles[i], image }));
  return panelGrid(panels, frames.length, frameSize, title);
}

function assertPanelSize(what: string, size: number): void {
  if (!Number.isInteger(size) || size < 32 || size > 2048) {
    throw new RangeError(`${what} must be an integer from 32 to 2048 pixels, got ${size}`);
  }
}

function panelGrid(panels: readonly FigurePanel[], columns: number, cellSize: number, title: string | undefined): Uint8Array {
  const images = panels.map((panel, i) => toRgba(panel.image, `panel ${i} ("${panel.title}")`));
  const cellWidth = cellSize;
  // Each image keeps its aspect ratio inside a cellSize x cellSize box.
  const fitted = images.map((image) => {
    const scale = cellSize / Math.max(image.width, image.height);
    return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
  });
  const rows = Math.ceil(panels.length / columns);
  // Wrap titles first: the title block is as tall as the longest title needs.
  const measure = measuringContext();
  measure.font = font(PANEL_TITLE_PX);
  const titleLines = panels.map((panel) => wrapText(measure, panel.title, cellWidth, TITLE_LINES));
  const lineCount = Math.max(1, ...titleLines.map((lines) => lines.length));
  const titleBlock = Math.ceil(PANEL_TITLE_PX * LINE_HEIGHT * lineCount) + 4;
  const rowHeights = Array.from({ length: rows }, (_, row) =>
    Math.max(...fitted.slice(row * columns, (row + 1) * columns).map((size) => size.height)),
  );
  const figureTitleBlock = title ? Math.ceil(FIGURE_TITLE_PX * LINE_HEIGHT) + GAP : 0;
  const usedColumns = Math.min(columns, panels.length);
  const width = 2 * MARGIN + usedColumns * cellWidth + (usedColumns - 1) * GAP;
  const height =
    2 * MARGIN + figureTitleBlock + rowHeights.reduce((sum, h) => sum + h + titleBlock, 0) + (rows - 1) * GAP;

  const { canvas, context } = whiteCanvas(width, height);
  context.fillStyle = '#000000';
  context.textAlign = 'center';
  context.textBaseline = 'top';
  if (title) {
    context.font = font(FIGURE_TITLE_PX, true);
    context.fillText(wrapText(context, title, width - 2 * MARGIN, 1)[0] ?? '', width / 2, MARGIN);
  }

  let top = MARGIN + figureTitleBlock;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const index = row * columns + column;
      if (index >= panels.length) break;
      const left = MARGIN + column * (cellWidth + GAP);
      context.font = font(PANEL_TITLE_PX);
      context.fillStyle = '#000000';
      const lines = titleLines[index];
      // Titles sit just above their image, bottom-aligned within the title block.
      const firstLineTop = top + titleBlock - 4 - lines.length * PANEL_TITLE_PX * LINE_HEIGHT;
      lines.forEach((line, k) => context.fillText(line, left + cellWidth / 2, firstLineTop + k * PANEL_TITLE_PX * LINE_HEIGHT));
      const size = fitted[index];
      drawImage(context, images[index], left + (cellWidth - size.width) / 2, top + titleBlock, size.width, size.height);
    }
    top += rowHeights[row] + titleBlock + GAP;
  }
  return encodePng(canvas);
}

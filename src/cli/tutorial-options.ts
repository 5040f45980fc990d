/** The tutorial's parameters as flags, each defaulting to the tutorial's value. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { COLORMAP_NAMES } from '../render/colormap.js';
import { TUTORIAL_DEFAULTS, type TutorialParams } from '../pipeline/tutorial.js';
import { parseNumber, parsePositiveInteger } from './options.js';

export interface TutorialFlags {
  logSigma: number;
  gradientSigma: number;
  fourierSigma: number;
  threshold: number;
  sobelCmaps: string[];
  cannyCmaps: string[];
  bins: number;
  cannySigma: number;
}

export function addTutorialOptions(command: Command): Command {
  const d = TUTORIAL_DEFAULTS;
  return command
    .addOption(new Option('--log-sigma <s>', 'Laplacian of Gaussian sigma').argParser(parsePositiveNumber).default(d.logSigma))
    .addOption(new Option('--gradient-sigma <s>', 'Gaussian gradient magnitude sigma').argParser(parsePositiveNumber).default(d.gradientSigma))
    .addOption(new Option('--fourier-sigma <s>', 'fourier_gaussian sigma before the Prewitt "Canny"').argParser(parsePositiveNumber).default(d.fourierSigma))
    .addOption(new Option('--threshold <t>', 'mask threshold (x > t)').argParser(parseNumber).default(d.threshold))
    .addOption(new Option('--sobel-cmaps <list>', `colormaps for the Sobel magnitude (comma-separated; ${COLORMAP_NAMES.join(', ')})`).argParser(parseColormaps).default(d.sobelColormaps, d.sobelColormaps.join(',')))
    .addOption(new Option('--canny-cmaps <list>', 'colormaps for the tutorial "Canny" (comma-separated)').argParser(parseColormaps).default(d.cannyColormaps, d.cannyColormaps.join(',')))
    .addOption(new Option('--bins <n>', 'histogram bins between the image min and max').argParser(parsePositiveInteger).default(d.histogramBins))
    .addOption(new Option('--canny-sigma <s>', 'sigma of the true Canny panel (skimage.feature.canny)').argParser(parsePositiveNumber).default(d.cannySigma));
}

export function tutorialParams(flags: TutorialFlags): TutorialParams {
  return {
    logSigma: flags.logSigma,
    gradientSigma: flags.gradientSigma,
    fourierSigma: flags.fourierSigma,
    threshold: flags.threshold,
    sobelColormaps: flags.sobelCmaps,
    cannyColormaps: flags.cannyCmaps,
    histogramBins: flags.bins,
    cannySigma: flags.cannySigma,
  };
}

function parsePositiveNumber(value: string): number {
  const n = parseNumber(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a number > 0, got "${value}".`);
  return n;
}

/** "NAME[,NAME...]": distinct matplotlib colormap names (one PNG each). */
function parseColormaps(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((name) => name === '')) {
    throw new InvalidArgumentError(`expected colormap names separated by commas, got "${value}"; accepted: ${COLORMAP_NAMES.join(', ')}.`);
  }
  for (const name of names) {
    if (!(COLORMAP_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown colormap "${name}"; accepted: ${COLORMAP_NAMES.join(', ')}.`);
    }
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new InvalidArgumentError(`colormap "${repeated}" is named twice in "${value}".`);
  return names;
}

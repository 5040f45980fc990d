/** The tutorial's parameters as flags, each defaulting to the tutorial's value. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { isMatplotlibColormapName } from '../render/colormap.js';
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
    .addOption(new Option('--sobel-cmaps <list>', 'colormaps for the Sobel magnitude: comma-separated matplotlib 3.6 names (gray, hot, bone, jet, viridis, gray_r, ...)').argParser(parseColormaps).default(d.sobelColormaps, d.sobelColormaps.join(',')))
    .addOption(new Option('--canny-cmaps <list>', 'colormaps for the tutorial "Canny": comma-separated matplotlib 3.6 names').argParser(parseColormaps).default(d.cannyColormaps, d.cannyColormaps.join(',')))
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
    throw new InvalidArgumentError(`expected matplotlib colormap names separated by commas, got "${value}".`);
  }
  for (const name of names) {
    if (!isMatplotlibColormapName(name)) {
      throw new InvalidArgumentError(`unknown colormap "${name}": expected a matplotlib 3.6 colormap name, such as gray, hot, bone, jet, viridis or gray_r.`);
    }
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new InvalidArgumentError(`colormap "${repeated}" is named twice in "${value}".`);
  return names;
}

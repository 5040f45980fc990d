#!/usr/bin/python3
"""Golden fixtures for the tutorial pipeline (`xray-gpu run`), from SciPy and matplotlib on the real sample.

Run with Debian's python3 (scipy 1.10.1, matplotlib 3.6.3, Pillow):
    /usr/bin/python3 scripts/make_tutorial_golden.py [SAMPLES_DIR]
SAMPLES_DIR defaults to $XRAY_SAMPLES, else ../shared/data/chestxray8-sample next to the repository.

It computes the tutorial's results on 00000011_001.png converted to float64 (xray-gpu computes in float,
see docs/DESIGN: the tutorial itself filters uint8 arrays, whose wrap-around we do not reproduce):
  gaussian-laplace             ndimage.gaussian_laplace(x, sigma=1)
  gaussian-gradient-magnitude  ndimage.gaussian_gradient_magnitude(x, sigma=2)
  sobel-magnitude              hypot(sobel(x, 0), sobel(x, 1)), then * 255 / max
  tutorial-canny               hypot(prewitt(f, 0), prewitt(f, 1)) with f = fourier_gaussian(x, sigma=0.05), then * 255 / max
  mask, mask-binary            where(x > 150, x, 0), where(x > 150, 1, 0)
  canny                        skimage.feature.canny(pixels, sigma=2) on the uint8 pixels (its thresholds depend on the dtype), as 0/1
and, for each stage and each colormap the pipeline shows it in, what imshow draws:
`cmap(Normalize()(data), bytes=True)`. Full arrays would be megabytes, so only a fixed set of pixel
positions is kept (random ones, the borders, and each stage's largest values).

Outputs in test/golden/tutorial/ (committed; tests never need Python):
  tutorial_001.json        stats, ndimage.histogram counts, positions, per-stage min/max and colormap names
  values.npy               float64 [stages, positions]: the stage's value at each position
  normalised.npy           float64 [stages, positions]: Normalize()(data) at each position
  rgba.npy                 uint8 [panels, positions, 4]: the colormapped RGBA (panels listed in the JSON)
"""
import json
import os
import pathlib
import sys

import matplotlib
import numpy as np
import scipy
import skimage
from matplotlib import colormaps
from matplotlib.colors import Normalize
from PIL import Image
from scipy import ndimage
from skimage import feature

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test/golden/tutorial"
SAMPLE = "00000011_001.png"
RANDOM_POSITIONS = 1600
TOP_POSITIONS_PER_STAGE = 40
SEED = 2024


def normalise_to_255(x):
    # The tutorial: `x *= 255.0 / np.max(x)`.
    return x * (255.0 / np.max(x))


def stages(pixels):
    """The tutorial's results on the pixels as float64, with the colormaps the pipeline shows each one in."""
    x = pixels.astype(np.float64)
    fourier = ndimage.fourier_gaussian(x, sigma=0.05)
    return [
        ("gaussian-laplace", ndimage.gaussian_laplace(x, sigma=1), ["gray"]),
        ("gaussian-gradient-magnitude", ndimage.gaussian_gradient_magnitude(x, sigma=2), ["gray"]),
        ("sobel-magnitude", normalise_to_255(np.hypot(ndimage.sobel(x, axis=0), ndimage.sobel(x, axis=1))), ["gray", "CMRmap", "hot"]),
        ("tutorial-canny", normalise_to_255(np.hypot(ndimage.prewitt(fourier, axis=0), ndimage.prewitt(fourier, axis=1))),
         ["prism", "nipy_spectral", "terrain"]),
        ("mask", np.where(x > 150, x, 0).astype(np.float64), ["gray"]),
        ("mask-binary", np.where(x > 150, 1, 0).astype(np.float64), ["gray"]),
        ("canny", feature.canny(pixels, sigma=2).astype(np.float64), ["gray"]),
    ]


def positions(shape, results):
    """Random pixels, every pixel of the outer two rows/columns at a stride, and each stage's top values."""
    h, w = shape
    rng = np.random.default_rng(SEED)
    flat = set(int(i) for i in rng.choice(h * w, RANDOM_POSITIONS, replace=False))
    for k in range(0, w, 16):
        flat.update({0 * w + k, 1 * w + k, (h - 2) * w + k, (h - 1) * w + k})
    for k in range(0, h, 16):
        flat.update({k * w + 0, k * w + 1, k * w + w - 2, k * w + w - 1})
    for _, data, _ in results:
        # The largest values map to the last LUT entries (normalised value 1 exactly at the max).
        flat.update(int(i) for i in np.argsort(data, axis=None, kind="stable")[-TOP_POSITIONS_PER_STAGE:])
    flat = np.array(sorted(flat), dtype=np.int64)
    return flat // w, flat % w


def main():
    samples = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("XRAY_SAMPLES", ROOT / "../shared/data/chestxray8-sample"))
    pixels = np.asarray(Image.open(samples / SAMPLE).convert("L"))
    assert pixels.dtype == np.uint8 and pixels.shape == (1024, 1024), (pixels.dtype, pixels.shape)
    results = stages(pixels)
    rows, cols = positions(pixels.shape, results)

    values = np.stack([data[rows, cols] for _, data, _ in results])
    normalised = np.stack([np.asarray(Normalize()(data))[rows, cols] for _, data, _ in results])
    panels, rgba = [], []
    for key, data, cmap_names in results:
        normed = Normalize()(data)
        for name in cmap_names:
            panels.append({"stage": key, "colormap": name})
            rgba.append(colormaps[name](normed, bytes=True)[rows, cols])

    counts = ndimage.histogram(pixels, pixels.min(), pixels.max(), 256)
    meta = {
        "generator": "scripts/make_tutorial_golden.py",
        "scipy": scipy.__version__,
        "skimage": skimage.__version__,
        "matplotlib": matplotlib.__version__,
        "image": SAMPLE,
        "shape": list(pixels.shape),
        "dtype": str(pixels.dtype),
        "stats": {
            "min": int(pixels.min()),
            "max": int(pixels.max()),
            "mean": float(np.mean(pixels)),
            "median": float(np.median(pixels)),
        },
        "histogram": {"min": int(pixels.min()), "max": int(pixels.max()), "bins": 256, "counts": [int(c) for c in counts]},
        "rows": rows.tolist(),
        "cols": cols.tolist(),
        "stages": [{"key": key, "min": float(data.min()), "max": float(data.max()), "colormaps": names} for key, data, names in results],
        "panels": panels,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tutorial_001.json").write_text(json.dumps(meta, indent=1) + "\n")
    np.save(OUT / "values.npy", values.astype(np.float64))
    np.save(OUT / "normalised.npy", normalised.astype(np.float64))
    np.save(OUT / "rgba.npy", np.stack(rgba).astype(np.uint8))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} positions, {len(results)} stages, {len(panels)} panels")


if __name__ == "__main__":
    main()

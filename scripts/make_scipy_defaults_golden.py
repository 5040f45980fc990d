#!/usr/bin/python3
"""Golden fixture for xray-gpu's defaults: each op called with NOTHING but what SciPy / scikit-image
require, so a default of xray-gpu that differs from the library's shows as a wrong result.

Run with Debian's python3 (scipy 1.10.1, skimage 0.19.3), from the repository root:

    /usr/bin/python3 scripts/make_scipy_defaults_golden.py [--samples DIR]

Writes test/golden/scipy-defaults.json: a small uint8 input, and per op the library call written
with its defaults (sigma given only where SciPy requires it, with xray-gpu's default value) and its
float64 result; plus, when the ChestX-ray8 samples are found, fingerprints (SHA-256 of the float32
bytes, extremes) of `ndimage.sobel(x)` and `ndimage.prewitt(x)` on 00000011_001.png for the CLI test.
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import scipy
import skimage
from scipy import ndimage
from skimage import feature

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "golden", "scipy-defaults.json")


def input_image():
    """13x11 uint8, odd-sized and not symmetric, with edges the Canny default thresholds keep."""
    h, w = 11, 13
    y, x = np.mgrid[0:h, 0:w]
    rng = np.random.default_rng(1313)
    image = 30 + 9 * x + 4 * y + 120 * ((x > 3) & (x < 9) & (y > 2) & (y < 8)) + rng.integers(0, 20, (h, w))
    return np.clip(image, 0, 255).astype(np.uint8)


def magnitude(edge, x):
    m = np.hypot(edge(x, axis=0), edge(x, axis=1))
    return m * (255 / m.max())


# Each op: (the call as a reader would write it, its result on uint8 u). SciPy gets float64, as
# xray-gpu computes in float from the converted input; skimage's canny gets the uint8 itself.
CALLS = {
    "gaussian": ("ndimage.gaussian_filter(x, sigma=1)", lambda x, u: ndimage.gaussian_filter(x, 1)),
    "gaussian-laplace": ("ndimage.gaussian_laplace(x, sigma=1)", lambda x, u: ndimage.gaussian_laplace(x, 1)),
    "gaussian-gradient-magnitude": ("ndimage.gaussian_gradient_magnitude(x, sigma=2)",
                                    lambda x, u: ndimage.gaussian_gradient_magnitude(x, 2)),
    "sobel": ("ndimage.sobel(x)", lambda x, u: ndimage.sobel(x)),
    "prewitt": ("ndimage.prewitt(x)", lambda x, u: ndimage.prewitt(x)),
    "laplace": ("ndimage.laplace(x)", lambda x, u: ndimage.laplace(x)),
    "sobel-magnitude": ("hypot(ndimage.sobel(x, axis=0), ndimage.sobel(x, axis=1)) * 255 / max",
                        lambda x, u: magnitude(ndimage.sobel, x)),
    "prewitt-magnitude": ("hypot(ndimage.prewitt(x, axis=0), ndimage.prewitt(x, axis=1)) * 255 / max",
                          lambda x, u: magnitude(ndimage.prewitt, x)),
    "fourier-gaussian": ("ndimage.fourier_gaussian(x, sigma=0.05)", lambda x, u: ndimage.fourier_gaussian(x, 0.05)),
    "tutorial-canny": ("prewitt-magnitude of ndimage.fourier_gaussian(x, sigma=0.05)",
                       lambda x, u: magnitude(ndimage.prewitt, ndimage.fourier_gaussian(x, 0.05))),
    "mask": ("numpy.where(x > 150, x, 0)", lambda x, u: np.where(x > 150, x, 0)),
    "mask-binary": ("numpy.where(x > 150, 1, 0)", lambda x, u: np.where(x > 150, 1, 0)),
    "canny": ("skimage.feature.canny(u)", lambda x, u: feature.canny(u)),
}


def fingerprint(y):
    y32 = np.ascontiguousarray(y, dtype="<f4")
    return {"sha256": hashlib.sha256(y32.tobytes()).hexdigest(), "min": float(y.min()), "max": float(y.max()),
            "sum": float(np.sum(y))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", default=os.path.join(ROOT, "..", "shared", "data", "chestxray8-sample"))
    args = parser.parse_args()
    u = input_image()
    x = u.astype(np.float64)
    ops = []
    for op, (call, fn) in CALLS.items():
        y = np.asarray(fn(x, u), dtype=np.float64)
        ops.append({"op": op, "call": call, "values": [float(v) for v in y.ravel()]})
    result = {
        "generator": "scripts/make_scipy_defaults_golden.py",
        "scipy": scipy.__version__,
        "skimage": skimage.__version__,
        "input": {"width": int(u.shape[1]), "height": int(u.shape[0]), "values": [int(v) for v in u.ravel()]},
        "ops": ops,
    }
    sample = os.path.join(args.samples, "00000011_001.png")
    if os.path.exists(sample):
        import cv2  # Debian's python3-opencv reads the 8-bit gray PNG as uint8 unchanged

        image = cv2.imread(sample, cv2.IMREAD_UNCHANGED)
        assert image.dtype == np.uint8 and image.ndim == 2, (image.dtype, image.shape)
        real = image.astype(np.float64)
        result["sample"] = {
            "image": os.path.basename(sample),
            "sobel": {"call": "ndimage.sobel(x)", **fingerprint(ndimage.sobel(real))},
            "prewitt": {"call": "ndimage.prewitt(x)", **fingerprint(ndimage.prewitt(real))},
        }
    else:
        print(f"no sample at {sample}: the real-sample fingerprints are left out", file=sys.stderr)
    with open(OUT, "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{len(ops)} ops written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()

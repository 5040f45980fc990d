"""
Checks that each OpenCV op computes what the SciPy op it stands in for computes (so the benchmark
compares like with like): max |opencv - scipy| / (max - min of scipy) per op on a smooth random image.
Usage: /usr/bin/python3 bench/peers/check_peers.py [size]    (exit status 1 if an op disagrees)
"""
import sys

import numpy as np
from scipy import ndimage as ndi

import opencv_peer
import scipy_peer

TOLERANCE = 1e-4  # float32 against float64
PARAMS = {
    "gaussian": {"sigma": 2.0},
    "gaussian-laplace": {"sigma": 1.0},
    "gaussian-gradient-magnitude": {"sigma": 2.0},
    "sobel-magnitude": {},
    "prewitt-magnitude": {},
    "fourier-gaussian": {"sigma": 0.05},
    "tutorial-canny": {"sigma": 0.05},
    "mask": {"threshold": 150},
    "mask-binary": {"threshold": 150},
}


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 96
    rng = np.random.default_rng()
    raw = np.clip(ndi.gaussian_filter(rng.uniform(0, 255, (size, size + 7)), 3) * 3 - 250, 0, 255).astype(np.uint8)
    worst = 0.0
    for op, params in PARAMS.items():
        expected = scipy_peer.OPS[op][0](raw.astype(np.float64), raw=raw, **params)
        got = opencv_peer.OPS[op][0](raw.astype(np.float32), raw=raw, **params)
        span = float(expected.max() - expected.min()) or 1.0
        error = float(np.max(np.abs(got.astype(np.float64) - expected))) / span
        worst = max(worst, error)
        print(f"{op:30s} relative error {error:.2e} {'ok' if error <= TOLERANCE else 'DIFFERS'}")
    hist_scipy = scipy_peer.histogram(raw, raw, 0, 255, 256)
    hist_cv = opencv_peer.histogram(raw, raw, 0, 255, 256).ravel()
    print(f"{'histogram':30s} counts equal: {bool(np.array_equal(hist_scipy, hist_cv))} (bins differ by design)")
    sys.exit(0 if worst <= TOLERANCE else 1)


if __name__ == "__main__":
    main()

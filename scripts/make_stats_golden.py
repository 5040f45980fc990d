#!/usr/bin/python3
"""Golden fixture for the statistics record (docs/stats.md): NumPy's min, max, mean, median, std
(ddof 0), percentiles (linear) and ndimage.histogram (image min..max, 256 bins) of small images of
each dtype, and of the ChestX-ray8 sample when present.

    /usr/bin/python3 scripts/make_stats_golden.py [--samples DIR]

Writes test/golden/stats-records.json. Float images are given to NumPy as float64 (xray-gpu's
statistics are float64 whatever the pixel type).
"""

import argparse
import json
import os

import numpy as np
from scipy import ndimage

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "golden", "stats-records.json")
PERCENTILES = [1, 5, 25, 75, 95, 99]


def record(x):
    y = x.astype(np.float64)
    p = np.percentile(y, PERCENTILES)
    lo, hi = float(y.min()), float(y.max())
    return {
        "width": int(x.shape[1]), "height": int(x.shape[0]), "dtype": str(x.dtype),
        "min": lo, "max": hi, "mean": float(np.mean(y)), "median": float(np.median(y)), "std": float(np.std(y)),
        "percentiles": {f"p{q}": float(v) for q, v in zip(PERCENTILES, p)},
        "histogram": {"min": lo, "max": hi, "bins": 256, "counts": [int(c) for c in ndimage.histogram(y, lo, hi, 256)]},
    }


def inputs():
    rng = np.random.default_rng(7)
    return {
        "uint8_9x7": rng.integers(0, 256, (7, 9)).astype(np.uint8),
        "uint8_odd_5x3": np.array([[3, 3, 200], [4, 9, 9], [250, 0, 1], [17, 17, 17], [128, 64, 32]], dtype=np.uint8),
        "uint16_8x6": rng.integers(0, 65536, (6, 8)).astype(np.uint16),
        "float32_7x5": rng.normal(-3, 40, (5, 7)).astype(np.float32),
        "float64_6x4": rng.uniform(-1, 1, (4, 6)) * 1e-3,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", default=os.path.join(ROOT, "..", "shared", "data", "chestxray8-sample"))
    args = parser.parse_args()
    cases = []
    for name, x in inputs().items():
        cases.append({"name": name, "values": [float(v) for v in x.ravel()], **record(x)})
    result = {"generator": "scripts/make_stats_golden.py", "numpy": np.__version__, "cases": cases}
    sample = os.path.join(args.samples, "00000011_001.png")
    if os.path.exists(sample):
        import cv2

        image = cv2.imread(sample, cv2.IMREAD_UNCHANGED)
        result["sample"] = {"image": os.path.basename(sample), **record(image)}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()

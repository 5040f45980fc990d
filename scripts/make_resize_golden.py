#!/usr/bin/python3
"""Golden fixtures for the resize and CLAHE ops, from scikit-image 0.19 and OpenCV (Debian's packages).

Run with Debian's python3 (scikit-image 0.19.3, SciPy 1.10.1, OpenCV 4.6):
    /usr/bin/python3 scripts/make_resize_golden.py [SAMPLES_DIR]

Outputs (committed, so tests never need Python):
  test/golden/resize/<case>.input.npy      small synthetic uint8 inputs
  test/golden/resize/<case>.skimage.npy    skimage.transform.resize(x.astype(float64), (H, W), order=1,
                                           mode='reflect', anti_aliasing=True, preserve_range=True), float64
  test/golden/resize/<case>.area.npy       cv2.resize(x.astype(float64), (W, H), INTER_AREA), float64
  test/golden/resize/<case>.area-u8.npy    cv2.resize(x, (W, H), INTER_AREA) on the uint8 input
  test/golden/resize/real-256.skimage.npy  the first sample resized to 256x256 (float32: ample for 1e-6 of 255)
  test/golden/resize/real-256.area-u8.npy  the same with INTER_AREA on uint8
  test/golden/resize/manifest.json         cases: input, output size, files
  test/golden/clahe/<case>.input.npy       small uint8 inputs
  test/golden/clahe/<case>.expected.npy    round(255 * equalize_adapthist(x, ...)) as uint8
  test/golden/clahe/real-1024.png          the same on the first sample at 1024 (8-bit PNG)
  test/golden/clahe/manifest.json          cases with their parameters (camelCase, as the op takes them)
"""
import json
import pathlib
import sys

import cv2
import numpy as np
import skimage
from skimage.exposure import equalize_adapthist
from skimage.io import imread
from skimage.transform import resize

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESIZE_OUT = ROOT / "test" / "golden" / "resize"
CLAHE_OUT = ROOT / "test" / "golden" / "clahe"
DEFAULT_SAMPLES = ROOT.parent / "shared" / "data" / "chestxray8-sample"
REAL_SAMPLE = "00000011_001.png"


def synthetic(height, width, seed):
    """A smooth gradient plus blobs plus noise, uint8: every level and plenty of structure."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    base = 120 + 60 * np.sin(x / max(width, 1) * 5.1) * np.cos(y / max(height, 1) * 3.7)
    base += 40 * np.exp(-((x - width * 0.3) ** 2 + (y - height * 0.6) ** 2) / (0.05 * (width * height + 1)))
    base += rng.normal(0, 25, size=(height, width))
    return np.clip(np.round(base), 0, 255).astype(np.uint8)


def skimage_resize(x, height, width):
    return resize(x.astype(np.float64), (height, width), order=1, mode="reflect", anti_aliasing=True,
                  preserve_range=True)


def clahe_levels(x, clip_limit, kernel_size, nbins):
    out = equalize_adapthist(x, kernel_size=kernel_size, clip_limit=clip_limit, nbins=nbins)
    return np.clip(np.round(255 * out), 0, 255).astype(np.uint8)


RESIZE_CASES = [
    # name, input (H, W), output (H, W)
    ("down_37x53_to_16x11", (37, 53), (16, 11)),
    ("down_64x48_to_20x30", (64, 48), (20, 30)),
    ("up_7x5_to_13x9", (7, 5), (13, 9)),
    ("row_1x40_to_1x7", (1, 40), (1, 7)),
    ("mixed_20x10_to_7x25", (20, 10), (7, 25)),
    ("integer_40x30_to_10x15", (40, 30), (10, 15)),
    ("same_9x11", (9, 11), (9, 11)),
    ("tiny_3x50_to_2x9", (3, 50), (2, 9)),
]

CLAHE_CASES = [
    # name, input (H, W), clipLimit, kernelSize (None: default), nbins
    ("default_37x53", (37, 53), 0.01, None, 256),
    ("k8_64x48", (64, 48), 0.01, 8, 256),
    ("k_pair_clip03_50x41", (50, 41), 0.03, (10, 7), 256),
    ("noclip_33x33", (33, 33), 0.0, 6, 256),
    ("nbins64_45x60", (45, 60), 0.02, 9, 64),
    ("heavyclip_40x40", (40, 40), 0.001, 5, 256),
]


def save(path, array):
    np.save(path, np.ascontiguousarray(array))


def main():
    samples = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SAMPLES
    RESIZE_OUT.mkdir(parents=True, exist_ok=True)
    CLAHE_OUT.mkdir(parents=True, exist_ok=True)
    resize_cases = []
    for i, (name, (h, w), (oh, ow)) in enumerate(RESIZE_CASES):
        x = synthetic(h, w, 100 + i)
        save(RESIZE_OUT / f"{name}.input.npy", x)
        save(RESIZE_OUT / f"{name}.skimage.npy", skimage_resize(x, oh, ow))
        save(RESIZE_OUT / f"{name}.area.npy", cv2.resize(x.astype(np.float64), (ow, oh), interpolation=cv2.INTER_AREA))
        save(RESIZE_OUT / f"{name}.area-u8.npy", cv2.resize(x, (ow, oh), interpolation=cv2.INTER_AREA))
        resize_cases.append({"name": name, "input": f"{name}.input.npy", "height": oh, "width": ow,
                             "skimage": f"{name}.skimage.npy", "area": f"{name}.area.npy",
                             "areaUint8": f"{name}.area-u8.npy"})
    real = None
    sample_path = samples / REAL_SAMPLE
    if sample_path.exists():
        x = imread(sample_path)
        assert x.dtype == np.uint8 and x.ndim == 2, (x.dtype, x.shape)
        save(RESIZE_OUT / "real-256.skimage.npy", skimage_resize(x, 256, 256).astype(np.float32))
        save(RESIZE_OUT / "real-256.area-u8.npy", cv2.resize(x, (256, 256), interpolation=cv2.INTER_AREA))
        real = {"sample": REAL_SAMPLE, "height": 256, "width": 256, "skimage": "real-256.skimage.npy",
                "areaUint8": "real-256.area-u8.npy"}
        levels = clahe_levels(x, 0.01, None, 256)
        cv2.imwrite(str(CLAHE_OUT / "real-1024.png"), levels, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    else:
        print(f"note: {sample_path} not found; the real-sample fixtures were not written", file=sys.stderr)
    versions = {"skimage": skimage.__version__, "opencv": cv2.__version__, "numpy": np.__version__}
    (RESIZE_OUT / "manifest.json").write_text(json.dumps(
        {**versions, "cases": resize_cases, "real": real}, indent=1) + "\n")

    clahe_cases = []
    for i, (name, (h, w), clip, kernel, nbins) in enumerate(CLAHE_CASES):
        x = synthetic(h, w, 200 + i)
        save(CLAHE_OUT / f"{name}.input.npy", x)
        save(CLAHE_OUT / f"{name}.expected.npy", clahe_levels(x, clip, kernel, nbins))
        params = {"clipLimit": clip, "nbins": nbins}
        if kernel is not None:
            params["kernelSize"] = list(kernel) if isinstance(kernel, tuple) else kernel
        clahe_cases.append({"name": name, "input": f"{name}.input.npy", "expected": f"{name}.expected.npy",
                            "params": params})
    real_clahe = ({"sample": REAL_SAMPLE, "expected": "real-1024.png", "params": {"clipLimit": 0.01, "nbins": 256}}
                  if real else None)
    (CLAHE_OUT / "manifest.json").write_text(json.dumps(
        {**versions, "cases": clahe_cases, "real": real_clahe}, indent=1) + "\n")


if __name__ == "__main__":
    main()

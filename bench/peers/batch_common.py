"""
What the batch peers (tutorial_scipy_batch.py, opencv_batch.py) share with `xray-gpu batch`, so that
all three write the same set of files: the walk (every *.png under IN), the output names
(OUT/<relative path without .png>.<op>.png), the 8-bit conversion (xray-gpu's scaleToUint8), the
zlib settings, and the JSON summary line the benchmark reads.

zlib settings, as xray-gpu's PNG encoder (src/io/png.ts):
  no --png-level: run-length deflate (zlib strategy Z_RLE), the encoder's default
  --png-level N:  zlib level N with the default strategy
Row filters are each library's own (xray-gpu: Paeth; Pillow: adaptive; OpenCV: libpng's default);
the pixels are what must match, and the bytes of the files may differ.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

# The tutorial's outputs, in its order; the labels are xray-gpu's op names.
OUTPUT_LABELS = ["gaussian-laplace", "gaussian-gradient-magnitude", "sobel-magnitude", "tutorial-canny", "mask", "mask-binary"]
Z_RLE = 3


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("input", help="input directory, walked recursively (*.png)")
    parser.add_argument("output", help="output directory (the input tree is mirrored there)")
    parser.add_argument("--png-level", type=int, choices=range(10), default=None,
                        help="zlib level with the default strategy (default: run-length deflate, as xray-gpu)")
    return parser.parse_args()


def walk_pngs(root):
    """Relative paths of every .png under root (any case), folders and files sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".png"):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return found


def output_path(output_root, relative, label):
    stem = relative[: -len(".png")]
    return os.path.join(output_root, f"{stem}.{label}.png")


def scale_to_uint8(values):
    """xray-gpu's scaleToUint8: round((v - min) * 255 / (max - min)) over the finite values, ties up;
    a constant image gives zeros; NaN and infinities give 0."""
    x = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(x)
    out = np.zeros(x.shape, np.uint8)
    if not finite.any():
        return out
    low = x[finite].min() if not finite.all() else x.min()
    high = x[finite].max() if not finite.all() else x.max()
    span = high - low
    if span > 0:
        scaled = np.floor((x - low) * (255.0 / span) + 0.5)
        out = np.where(finite, scaled, 0).astype(np.uint8)
    return out


class StageClock:
    """Wall time per stage (read, compute, write), summed over images."""

    def __init__(self):
        self.seconds = {"read": 0.0, "compute": 0.0, "write": 0.0}
        self._start = None
        self._stage = None

    def start(self, stage):
        now = time.perf_counter()
        if self._stage is not None:
            self.seconds[self._stage] += now - self._start
        self._stage, self._start = stage, now

    def stop(self):
        if self._stage is not None:
            self.seconds[self._stage] += time.perf_counter() - self._start
        self._stage = None


def run_batch(peer, version, args, read, compute, write):
    """Runs read -> compute -> write over the tree; prints one JSON summary line on stdout."""
    began = time.perf_counter()
    clock = StageClock()
    images = 0
    for relative in walk_pngs(args.input):
        clock.start("read")
        image = read(os.path.join(args.input, relative))
        clock.start("compute")
        results = compute(image)
        clock.start("write")
        for label, result in zip(OUTPUT_LABELS, results):
            target = output_path(args.output, relative, label)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            write(target, scale_to_uint8(result), args.png_level)
        clock.stop()
        images += 1
    seconds = time.perf_counter() - began
    summary = {
        "peer": peer,
        "version": version,
        "images": images,
        "seconds": seconds,
        "images_per_second": images / seconds if seconds > 0 else 0.0,
        "stage_seconds": clock.seconds,
        "png": "Z_RLE" if args.png_level is None else f"level {args.png_level}",
    }
    sys.stdout.write(json.dumps(summary) + "\n")

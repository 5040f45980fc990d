"""
The loop `xray-gpu prepare` replaces, as people write it in Python: a process pool (one process per
core) that reads each PNG, resizes it, casts it and collects the rows into NumPy shards.

  skimage: skimage.io.imread, skimage.transform.resize(x.astype(float64), (H, W), order=1,
           mode='reflect', anti_aliasing=True, preserve_range=True), --clahe: equalize_adapthist on
           the 8-bit resized image (np.clip(np.round(x)), as 8-bit levels round(255 * out)
  opencv:  cv2.imread(..., IMREAD_GRAYSCALE), cv2.resize(INTER_AREA), --clahe: createCLAHE(clipLimit,
           tileGridSize=(8, 8)).apply

Run: /usr/bin/python3 bench/peers/prepare_pool.py skimage|opencv IN OUT --size 224 [--clahe]
     [--dtype float32|uint8] [--shard-size 4096] [--processes N]
Prints one JSON line: images, seconds.
"""
import argparse
import json
import os
import sys
import time
from multiprocessing import Pool

import numpy as np

from batch_common import walk_pngs  # the batch peers' walk: every *.png, folders and files sorted


SETTINGS = {}


def init(settings):
    SETTINGS.update(settings)


def skimage_one(path):
    import skimage.exposure
    import skimage.io
    import skimage.transform
    size, clahe = SETTINGS["size"], SETTINGS["clahe"]
    x = skimage.io.imread(path)
    y = skimage.transform.resize(x.astype(np.float64), (size, size), order=1, mode="reflect", anti_aliasing=True, preserve_range=True)
    if clahe:
        y8 = np.clip(np.round(y), 0, 255).astype(np.uint8)
        y = np.round(255 * skimage.exposure.equalize_adapthist(y8, clip_limit=0.01, nbins=256))
    return cast(y)


def opencv_one(path):
    import cv2
    size, clahe = SETTINGS["size"], SETTINGS["clahe"]
    x = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    y = cv2.resize(x, (size, size), interpolation=cv2.INTER_AREA)
    if clahe:
        y = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(y)
    return cast(y)


def cast(y):
    if SETTINGS["dtype"] == "uint8":
        return np.clip(np.round(y), 0, 255).astype(np.uint8)
    return y.astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", choices=["skimage", "opencv"])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--clahe", action="store_true")
    parser.add_argument("--dtype", choices=["float32", "uint8"], default="float32")
    parser.add_argument("--shard-size", type=int, default=4096)
    parser.add_argument("--processes", type=int, default=os.cpu_count())
    args = parser.parse_args()
    start = time.perf_counter()
    files = [os.path.join(args.input, relative) for relative in walk_pngs(args.input)]
    os.makedirs(args.output, exist_ok=True)
    one = skimage_one if args.library == "skimage" else opencv_one
    settings = {"size": args.size, "clahe": args.clahe, "dtype": args.dtype}
    with Pool(args.processes, initializer=init, initargs=(settings,)) as pool:
        for k in range(0, len(files), args.shard_size):
            rows = pool.map(one, files[k:k + args.shard_size], chunksize=4)
            np.save(os.path.join(args.output, "images-%05d.npy" % (k // args.shard_size)), np.stack(rows))
    print(json.dumps({"images": len(files), "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Golden fixtures for `xray-gpu prepare` (test/golden/prepare/), from Debian's NumPy, skimage and OpenCV.

Run: /usr/bin/python3 scripts/make_prepare_golden.py [SAMPLES_DIR]
SAMPLES_DIR defaults to ../shared/data/chestxray8-sample. Kept small: full arrays only at small sizes,
row sums plus a few full rows at larger ones.

  float16.input.npy / float16.bits.npy   float64 values and NumPy's x.astype(float16) bits (uint16)
  resize256.rowsums.npy  (9, 256) float64  row sums of skimage resize to 256x256 (preserve_range, float64)
  resize256.rows.npy     (9, 3, 256) f8    rows 0, 128, 255 of the same
  resize64.npy           (9, 64, 64) f4    the whole skimage resize to 64x64
  area224.npy            (3, 224, 224) u1  cv2.resize INTER_AREA of the first 3 samples (uint8 in, uint8 out)
  area256.rowsums.npy    (9, 256) f8       row sums of cv2 INTER_AREA at 256x256
  clahe1024.rows.npy     (9, 16, 1024) u1  rows 7, 71, ..., 967 of round(255 * equalize_adapthist(x, clip_limit=0.01,
                                           nbins=256)) on the 1024x1024 samples (resize to the same size is the identity)
  clahe1024.hist.npy     (9, 256) f8       the whole CLAHE image's histogram of levels
  manifest.json          the sample file names in order, versions
"""
import json
import os
import sys

import cv2
import numpy as np
import skimage
import skimage.exposure
import skimage.io
import skimage.transform

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'golden', 'prepare')


def float16_cases():
    rng = np.random.default_rng(15)
    specials = [0.0, -0.0, 1.0, -1.0, 65504.0, 65519.99, 65520.0, 65536.0, 1e10, -1e10, 2.0**-14, 2.0**-24,
                2.0**-25, 2.0**-25 * 1.0000001, 3 * 2.0**-25, 2.0**-26, 1e-30, np.inf, -np.inf, 0.5, 1024.0, 2047.0,
                2049.0, 2051.0, 4097.0, -1024.0, 1023.5, 0.1, 1 / 3, 255.0, 1 / 255]
    # Exact ties between neighbouring halves in every binade, and values a hair either side.
    halves = np.arange(0, 0x7bff, 97, dtype=np.uint16).view(np.float16).astype(np.float64)
    nxt = (np.arange(0, 0x7bff, 97, dtype=np.uint16) + 1).view(np.float16).astype(np.float64)
    ties = (halves + nxt) / 2
    near = np.concatenate([np.nextafter(ties, -np.inf), np.nextafter(ties, np.inf)])
    # Values as prepare makes them: unit and xrv normalisation of levels and of resize outputs.
    levels = np.arange(256, dtype=np.float64)
    smooth = rng.uniform(0, 255, 500)
    made = np.concatenate([levels / 255, (2 * (levels / 255) - 1) * 1024, smooth / 255, (2 * (smooth / 255) - 1) * 1024])
    values = np.concatenate([specials, ties, -ties, near, made, rng.normal(0, 100, 300), rng.uniform(-7e4, 7e4, 100)])
    return values.astype(np.float64), values.astype(np.float16).view(np.uint16)


def main():
    samples = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', 'shared', 'data', 'chestxray8-sample')
    names = sorted(n for n in os.listdir(samples) if n.endswith('.png'))
    os.makedirs(OUT, exist_ok=True)
    values, bits = float16_cases()
    np.save(os.path.join(OUT, 'float16.input.npy'), values)
    np.save(os.path.join(OUT, 'float16.bits.npy'), bits)

    images = [skimage.io.imread(os.path.join(samples, n)) for n in names]
    for name, image in zip(names, images):
        assert image.dtype == np.uint8 and image.ndim == 2, name

    def sk(image, size):
        return skimage.transform.resize(image.astype(np.float64), (size, size), order=1, mode='reflect',
                                        anti_aliasing=True, preserve_range=True)

    r256 = np.stack([sk(im, 256) for im in images])
    np.save(os.path.join(OUT, 'resize256.rowsums.npy'), r256.sum(axis=2))
    np.save(os.path.join(OUT, 'resize256.rows.npy'), np.ascontiguousarray(r256[:, [0, 128, 255], :]))
    np.save(os.path.join(OUT, 'resize64.npy'), np.stack([sk(im, 64) for im in images]).astype(np.float32))
    area = lambda im, size: cv2.resize(im, (size, size), interpolation=cv2.INTER_AREA)
    np.save(os.path.join(OUT, 'area224.npy'), np.stack([area(im, 224) for im in images[:3]]))
    np.save(os.path.join(OUT, 'area256.rowsums.npy'), np.stack([area(im, 256) for im in images]).astype(np.float64).sum(axis=2))
    # skimage resize to the input's own size is the identity (sigma 0, identity warp), so --size 1024
    # --clahe on these samples is CLAHE of the image itself.
    assert np.array_equal(sk(images[0], 1024), images[0].astype(np.float64))
    clahe = [np.round(255 * skimage.exposure.equalize_adapthist(im, clip_limit=0.01, nbins=256)).astype(np.uint8) for im in images]
    np.save(os.path.join(OUT, 'clahe1024.rows.npy'), np.stack([c[7::64] for c in clahe]))
    np.save(os.path.join(OUT, 'clahe1024.hist.npy'), np.stack([np.bincount(c.ravel(), minlength=256) for c in clahe]).astype(np.float64))
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        json.dump({'samples': names, 'numpy': np.__version__, 'skimage': skimage.__version__, 'opencv': cv2.__version__}, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()

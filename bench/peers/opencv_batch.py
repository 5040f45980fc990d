"""
The tutorial's outputs computed with OpenCV in a loop over a directory tree, writing the same 8-bit
PNGs as `xray-gpu batch` (see batch_common.py). The filters are opencv_peer.py's (float32,
BORDER_REFLECT = SciPy's reflect, SciPy's Gaussian kernels; NumPy for the Fourier-Gaussian, which
OpenCV lacks). OpenCV uses its own thread pool. Run with Debian's /usr/bin/python3:

    /usr/bin/python3 bench/peers/opencv_batch.py IN OUT [--png-level N]
"""
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_common import parse_args, run_batch  # noqa: E402
from opencv_peer import gaussian_gradient_magnitude, gaussian_laplace, mask, mask_binary, sobel_magnitude, tutorial_canny  # noqa: E402


def read(path):
    image = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ValueError(f"{path}: OpenCV cannot read it")
    return image


def compute(raw):
    x = raw.astype(np.float32)
    return [
        gaussian_laplace(x, raw, sigma=1),
        gaussian_gradient_magnitude(x, raw, sigma=2),
        sobel_magnitude(x, raw),
        tutorial_canny(x, raw, sigma=0.05),
        mask(x, raw, threshold=150),
        mask_binary(x, raw, threshold=150),
    ]


def write(path, pixels, level):
    # IMWRITE_PNG_COMPRESSION resets the strategy to the default, so the strategy comes after it.
    params = [cv2.IMWRITE_PNG_COMPRESSION, 6, cv2.IMWRITE_PNG_STRATEGY, cv2.IMWRITE_PNG_STRATEGY_RLE] if level is None \
        else [cv2.IMWRITE_PNG_COMPRESSION, level]
    if not cv2.imwrite(path, pixels, params):
        raise OSError(f"{path}: OpenCV could not write it")


if __name__ == "__main__":
    run_batch("opencv", cv2.__version__, parse_args(__doc__), read, compute, write)

"""
The NumPy tutorial's SciPy code in a loop over a directory tree, writing the same 8-bit PNGs as
`xray-gpu batch` (see batch_common.py). Run with Debian's /usr/bin/python3:

    /usr/bin/python3 bench/peers/tutorial_scipy_batch.py IN OUT [--png-level N]

The tutorial reads with imageio and filters the uint8 array; here the image is converted to float64
first, because xray-gpu computes in float (the tutorial's uint8 outputs wrap around) and the point is
to write the same files. Writing goes through Pillow, imageio's PNG backend (OpenCV where a Python
has neither imageio nor Pillow).
"""
import os
import sys

import numpy as np
import scipy
from scipy import ndimage

try:  # the tutorial's reader, and Pillow (its PNG backend) for writing
    import imageio
    from PIL import Image
except ImportError:  # a Python with only OpenCV for image files (e.g. the lent GPU machine's venv)
    imageio = None
    import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_common import Z_RLE, parse_args, run_batch  # noqa: E402


def read(path):
    if imageio is None:
        return cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    image = imageio.imread(path)
    if image.ndim != 2:
        image = np.asarray(Image.open(path).convert("L"))
    return image


def compute(xray_image):
    x = xray_image.astype(np.float64)
    xray_image_laplace_gaussian = ndimage.gaussian_laplace(x, sigma=1)
    x_ray_image_gaussian_gradient = ndimage.gaussian_gradient_magnitude(x, sigma=2)
    x_sobel = ndimage.sobel(x, axis=0)
    y_sobel = ndimage.sobel(x, axis=1)
    xray_image_sobel = np.hypot(x_sobel, y_sobel)
    xray_image_sobel *= 255.0 / np.max(xray_image_sobel)
    fourier_gaussian = ndimage.fourier_gaussian(x, sigma=0.05)
    x_prewitt = ndimage.prewitt(fourier_gaussian, axis=0)
    y_prewitt = ndimage.prewitt(fourier_gaussian, axis=1)
    xray_image_canny = np.hypot(x_prewitt, y_prewitt)
    xray_image_canny *= 255.0 / np.max(xray_image_canny)
    xray_image_mask_noisy = np.where(x > 150, x, 0)
    xray_image_mask_less_noisy = np.where(x > 150, 1, 0)
    return [xray_image_laplace_gaussian, x_ray_image_gaussian_gradient, xray_image_sobel, xray_image_canny,
            xray_image_mask_noisy, xray_image_mask_less_noisy]


def write(path, pixels, level):
    if imageio is None:
        params = [cv2.IMWRITE_PNG_COMPRESSION, 6, cv2.IMWRITE_PNG_STRATEGY, Z_RLE] if level is None else [cv2.IMWRITE_PNG_COMPRESSION, level]
        cv2.imwrite(path, pixels, params)
        return
    options = {"compress_level": 6, "compress_type": Z_RLE} if level is None else {"compress_level": level}
    Image.fromarray(pixels).save(path, **options)


if __name__ == "__main__":
    run_batch("scipy (tutorial loop)", scipy.__version__, parse_args(__doc__), read, compute, write)

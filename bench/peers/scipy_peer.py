"""
SciPy peer for the xray-gpu benchmark: the tutorial's scipy.ndimage calls on float64 input.
Protocol: see peer_protocol.py. Run with Debian's /usr/bin/python3 (it has SciPy).
"""
import os
import sys

import numpy as np
import scipy
from scipy import ndimage as ndi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_protocol import serve  # noqa: E402
from canny_peer import SKIMAGE_NOTES, SKIMAGE_OPS  # noqa: E402


def scaled_hypot(a, b):
    # The tutorial's `edge = np.hypot(a, b); edge *= 255.0 / np.max(edge)`.
    edge = np.hypot(a, b)
    edge *= 255.0 / np.max(edge)
    return edge


def gaussian(x, raw, sigma):
    return ndi.gaussian_filter(x, sigma)


def gaussian_laplace(x, raw, sigma):
    return ndi.gaussian_laplace(x, sigma)


def gaussian_gradient_magnitude(x, raw, sigma):
    return ndi.gaussian_gradient_magnitude(x, sigma)


def sobel_magnitude(x, raw):
    return scaled_hypot(ndi.sobel(x, axis=0), ndi.sobel(x, axis=1))


def prewitt_magnitude(x, raw):
    return scaled_hypot(ndi.prewitt(x, axis=0), ndi.prewitt(x, axis=1))


def fourier_gaussian(x, raw, sigma):
    return ndi.fourier_gaussian(x, sigma=sigma)


def tutorial_canny(x, raw, sigma):
    smoothed = ndi.fourier_gaussian(x, sigma=sigma)
    return scaled_hypot(ndi.prewitt(smoothed, axis=0), ndi.prewitt(smoothed, axis=1))


def mask(x, raw, threshold):
    return np.where(x > threshold, x, 0)


def mask_binary(x, raw, threshold):
    return np.where(x > threshold, 1, 0)


def histogram(x, raw, min, max, bins):  # noqa: A002 (ndimage's parameter names)
    return ndi.histogram(x, min, max, bins)


OPS = {
    "gaussian": (gaussian, ["sigma"]),
    "gaussian-laplace": (gaussian_laplace, ["sigma"]),
    "gaussian-gradient-magnitude": (gaussian_gradient_magnitude, ["sigma"]),
    "sobel-magnitude": (sobel_magnitude, []),
    "prewitt-magnitude": (prewitt_magnitude, []),
    "fourier-gaussian": (fourier_gaussian, ["sigma"]),
    "tutorial-canny": (tutorial_canny, ["sigma"]),
    "mask": (mask, ["threshold"]),
    "mask-binary": (mask_binary, ["threshold"]),
    "histogram": (histogram, ["min", "max", "bins"]),
}

NOTES = {"all": "scipy.ndimage on float64 input (single-threaded), as the tutorial calls it"}

try:  # Canny comes from scikit-image; without it the canny op is answered as unsupported.
    from canny_peer import SKIMAGE_NOTES, SKIMAGE_OPS
    OPS.update(SKIMAGE_OPS)
    NOTES.update(SKIMAGE_NOTES)
except ImportError:
    pass

OPS.update(SKIMAGE_OPS)
NOTES.update(SKIMAGE_NOTES)

if __name__ == "__main__":
    serve("scipy", scipy.__version__, np.float64, OPS, threads=1, notes=NOTES)

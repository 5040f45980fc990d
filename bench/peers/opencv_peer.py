"""
OpenCV peer for the xray-gpu benchmark: the closest OpenCV equivalents of the tutorial's calls, on
float32 input with BORDER_REFLECT (= SciPy's mode 'reflect', d c b a | a b c d | d c b a).
OpenCV has no Fourier-Gaussian: that step is NumPy in the ops that need it (said in `notes`).
Protocol: see peer_protocol.py.
"""
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_protocol import serve  # noqa: E402
from canny_peer import OPENCV_NOTES, OPENCV_OPS  # noqa: E402

BORDER = cv2.BORDER_REFLECT
TRUNCATE = 4.0
PREWITT_ROWS = np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], np.float32)  # ndimage.prewitt(x, axis=0)
PREWITT_COLS = PREWITT_ROWS.T.copy()  # ndimage.prewitt(x, axis=1)


def gaussian_kernel1d(sigma, order):
    """scipy.ndimage._filters._gaussian_kernel1d, reversed as gaussian_filter1d does, in float32."""
    radius = int(TRUNCATE * sigma + 0.5)
    x = np.arange(-radius, radius + 1)
    phi = np.exp(-0.5 / (sigma * sigma) * x ** 2)
    phi /= phi.sum()
    q = np.zeros(order + 1)
    q[0] = 1
    derivative = np.diag(np.arange(1, order + 1), 1) + np.diag(np.full(order, -1 / (sigma * sigma)), -1)
    for _ in range(order):
        q = derivative.dot(q)
    weights = (x[:, None] ** np.arange(order + 1)).dot(q) * phi
    return weights[::-1].astype(np.float32)


def separable(x, sigma, order_rows, order_cols):
    return cv2.sepFilter2D(x, cv2.CV_32F, gaussian_kernel1d(sigma, order_cols), gaussian_kernel1d(sigma, order_rows),
                           borderType=BORDER)


def scaled_magnitude(a, b):
    edge = cv2.magnitude(a, b)
    _, peak, _, _ = cv2.minMaxLoc(edge)
    return cv2.multiply(edge, 255.0 / peak)


def fourier_factor(n, sigma):
    # ndimage.fourier_gaussian's per-axis factor for a real input of length n (n > 1).
    k = np.fft.fftfreq(n) * n
    p = -2.0 * (sigma * np.pi / n) ** 2
    exponent = p * k * k
    return np.where(np.abs(exponent) > 50, 0.0, np.exp(exponent)).astype(np.float32)


def gaussian(x, raw, sigma):
    radius = int(TRUNCATE * sigma + 0.5)
    return cv2.GaussianBlur(x, (2 * radius + 1, 2 * radius + 1), sigma, sigmaY=sigma, borderType=BORDER)


def gaussian_laplace(x, raw, sigma):
    return cv2.add(separable(x, sigma, 2, 0), separable(x, sigma, 0, 2))


def gaussian_gradient_magnitude(x, raw, sigma):
    return cv2.magnitude(separable(x, sigma, 1, 0), separable(x, sigma, 0, 1))


def sobel_magnitude(x, raw):
    rows = cv2.Sobel(x, cv2.CV_32F, 0, 1, ksize=3, borderType=BORDER)
    cols = cv2.Sobel(x, cv2.CV_32F, 1, 0, ksize=3, borderType=BORDER)
    return scaled_magnitude(rows, cols)


def prewitt_magnitude(x, raw):
    rows = cv2.filter2D(x, cv2.CV_32F, PREWITT_ROWS, borderType=BORDER)
    cols = cv2.filter2D(x, cv2.CV_32F, PREWITT_COLS, borderType=BORDER)
    return scaled_magnitude(rows, cols)


def fourier_gaussian(x, raw, sigma):
    height, width = x.shape
    return x * fourier_factor(height, sigma)[:, None] * fourier_factor(width, sigma)[None, :]


def tutorial_canny(x, raw, sigma):
    return prewitt_magnitude(fourier_gaussian(x, raw, sigma), raw)


def mask(x, raw, threshold):
    return cv2.threshold(x, threshold, 0, cv2.THRESH_TOZERO)[1]


def mask_binary(x, raw, threshold):
    return cv2.threshold(x, threshold, 1, cv2.THRESH_BINARY)[1]


def histogram(x, raw, min, max, bins):  # noqa: A002
    # calcHist on the uint8 image; its bins are [lo, hi) of equal width, not NumPy's closed last bin.
    return cv2.calcHist([raw], [0], None, [bins], [min, max + 1])


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

NOTES = {
    "all": "float32 input, BORDER_REFLECT; OpenCV uses its own thread pool (threads = cv2.getNumThreads())",
    "gaussian": "cv2.GaussianBlur with SciPy's kernel size (radius int(4 sigma + 0.5))",
    "gaussian-laplace": "two cv2.sepFilter2D with SciPy's Gaussian derivative kernels, added",
    "gaussian-gradient-magnitude": "two cv2.sepFilter2D (order 1 x order 0) and cv2.magnitude",
    "sobel-magnitude": "cv2.Sobel x and y, cv2.magnitude, scaled to 255",
    "prewitt-magnitude": "cv2.filter2D with Prewitt kernels, cv2.magnitude, scaled to 255",
    "fourier-gaussian": "NumPy (OpenCV has no Fourier-Gaussian): x * outer(row factor, column factor)",
    "tutorial-canny": "NumPy Fourier-Gaussian, then the Prewitt magnitude as above",
    "mask": "cv2.threshold THRESH_TOZERO",
    "mask-binary": "cv2.threshold THRESH_BINARY",
    "histogram": "cv2.calcHist on the uint8 image (integer-aligned bins, not NumPy's 255/256-wide ones)",
}

try:  # canny_peer imports scikit-image for its own check; without it the canny op is unsupported.
    from canny_peer import OPENCV_NOTES, OPENCV_OPS
    OPS.update(OPENCV_OPS)
    NOTES.update(OPENCV_NOTES)
except ImportError:
    pass

OPS.update(OPENCV_OPS)
NOTES.update(OPENCV_NOTES)

if __name__ == "__main__":
    serve("opencv", cv2.__version__, np.float32, OPS, threads=cv2.getNumThreads(), notes=NOTES)

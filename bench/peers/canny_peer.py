"""
The `canny` op for the benchmark peers, kept in its own module so the peers opt in with two lines:

    scipy_peer.py:   from canny_peer import SKIMAGE_OPS, SKIMAGE_NOTES; OPS.update(SKIMAGE_OPS)
    opencv_peer.py:  from canny_peer import OPENCV_OPS, OPENCV_NOTES; OPS.update(OPENCV_OPS); NOTES.update(OPENCV_NOTES)

Requests carry xray-gpu's parameter names (`{"op": "canny", "sigma": 2, "lowThreshold": ...}`).
Both run on the uint8 image (`raw`), as xray-gpu does on a decoded PNG:

  SciPy peer:  skimage.feature.canny(raw, sigma, low_threshold, high_threshold, ...): the reference
               xray-gpu reproduces (float64, NumPy/SciPy).
  OpenCV peer: cv2.GaussianBlur(raw) with SciPy's kernel size, then cv2.Canny(..., L2gradient=True).
               cv2.Canny takes 8-bit input, so the smoothed image is rounded to uint8; its Sobel
               gradient is then in the same units as skimage's on a uint8 input (skimage divides the
               image by 255 and the thresholds too), so skimage's thresholds pass unchanged: default
               10% and 20% of 255. OpenCV's non-maximum suppression picks the nearest neighbour
               direction (no interpolation) and tracks edges with its own stack: comparable work,
               not the same edges (`main` below measures how close).

Usage as a script: /usr/bin/python3 bench/peers/canny_peer.py [SAMPLES_DIR]
prints how far cv2.Canny's edges are from skimage's on each sample (the benchmark's caveat).
"""
import pathlib
import sys

import cv2
import numpy as np
from skimage.feature import canny as skimage_canny

TRUNCATE = 4.0  # SciPy's, so both peers smooth with the same kernel size


def skimage_op(x, raw, sigma=1.0, lowThreshold=None, highThreshold=None, useQuantiles=False,  # noqa: N803
               mode="constant", cval=0.0):
    """skimage.feature.canny on the uint8 image, xray-gpu's parameter names mapped to skimage's."""
    return skimage_canny(raw, sigma=sigma, low_threshold=lowThreshold, high_threshold=highThreshold,
                         use_quantiles=useQuantiles, mode=mode, cval=cval)


def opencv_op(x, raw, sigma=1.0, lowThreshold=None, highThreshold=None):  # noqa: N803
    """GaussianBlur + cv2.Canny (L2 gradient) on the uint8 image, thresholds in uint8 gradient units."""
    if raw.dtype != np.uint8:
        raise ValueError(f"cv2.Canny needs an 8-bit image, got {raw.dtype}")
    low = 0.1 * 255 if lowThreshold is None else lowThreshold
    high = 0.2 * 255 if highThreshold is None else highThreshold
    radius = int(TRUNCATE * sigma + 0.5)
    # BORDER_REPLICATE: like skimage's normalised smoothing, it does not darken the border.
    smoothed = cv2.GaussianBlur(raw, (2 * radius + 1, 2 * radius + 1), sigma, sigmaY=sigma,
                                borderType=cv2.BORDER_REPLICATE)
    return cv2.Canny(smoothed, low, high, apertureSize=3, L2gradient=True)


SKIMAGE_OPS = {"canny": (skimage_op, ["sigma", "lowThreshold", "highThreshold", "useQuantiles", "mode", "cval"])}
SKIMAGE_NOTES = {"canny": "skimage.feature.canny on the uint8 image (the algorithm xray-gpu reproduces)"}
OPENCV_OPS = {"canny": (opencv_op, ["sigma", "lowThreshold", "highThreshold"])}
OPENCV_NOTES = {
    "canny": "cv2.GaussianBlur (SciPy's kernel size, uint8 result) + cv2.Canny(L2gradient=True) with "
             "skimage's thresholds; nearest-direction NMS, so edges differ from skimage's (see canny_peer.py)",
}


def main():
    default = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data" / "chestxray8-sample"
    samples = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else default
    files = sorted(samples.glob("*.png"))
    if not files:
        sys.exit(f"no PNG samples in {samples}")
    for path in files:
        raw = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        reference = skimage_op(None, raw, sigma=2.0)
        edges = opencv_op(None, raw, sigma=2.0) > 0
        agree = float(np.mean(edges == reference))
        recall = float(np.sum(edges & reference) / max(1, reference.sum()))
        print(f"{path.name}: cv2.Canny vs skimage: {100 * agree:.2f}% of pixels agree, "
              f"{100 * recall:.1f}% of skimage's {int(reference.sum())} edges found, cv2 has {int(edges.sum())}")


if __name__ == "__main__":
    main()

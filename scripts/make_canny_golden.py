#!/usr/bin/python3
"""Golden fixtures for the Canny edge detector, from scikit-image 0.19's skimage.feature.canny.

Run with Debian's python3 (scikit-image 0.19.3, SciPy 1.10.1, NumPy 1.24.2):
    /usr/bin/python3 scripts/make_canny_golden.py [SAMPLES_DIR]

Outputs (committed, so tests never need Python):
  test/golden/canny/<case>.input.npy    small synthetic inputs (uint8, uint16 or float64), shared by cases
  test/golden/canny/<case>.edges.npy    skimage's edge map as uint8 0/1
  test/golden/canny/<case>.edges-js-weights.npy   only where it differs from the above: skimage's
                                        edge map when SciPy's Gaussian weights are computed as
                                        xray-gpu computes them in JavaScript (see below)
  test/golden/canny/manifest.json       one entry per case: input file, parameters (camelCase, as
                                        xray-gpu's CannyParams), output file, edge count, and how many
                                        pixels change when skimage computes the case in float32
                                        (non-zero only for cases full of exact ties)
  test/golden/canny/real/<sample>.edges.bin   for each real sample (default ../shared/data/chestxray8-sample),
                                        skimage.feature.canny(image, sigma=2) as np.packbits (row-major,
                                        MSB first) compressed with zlib: a few KB instead of 1 MB
  test/golden/canny/real/manifest.json  sample file names, shapes, edge counts and the parameters

Why a second edge map for some cases: SciPy builds Gaussian weights with np.exp, which on this
machine is NumPy's AVX512F SIMD exp; xray-gpu uses JavaScript's Math.exp, which in V8 is fdlibm's
exp. The two differ in the last bit for about a quarter of arguments, so the weights differ by an
ulp, and on synthetic images full of exact ties (a square, a linear ramp) a tie in non-maximum
suppression can then go the other way. For every case this script therefore also runs skimage
with the weights computed the JavaScript way (fdlibm exp, ported below; sequential sum; divide),
and saves that edge map where it differs. The CPU engine must equal one of the two exactly.
"""
import json
import math
import pathlib
import struct
import sys
import zlib

import numpy as np
import scipy.ndimage._filters as scipy_filters
import skimage
from skimage.feature import canny

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "golden" / "canny"
REAL_OUT = OUT / "real"
DEFAULT_SAMPLES = ROOT.parent / "shared" / "data" / "chestxray8-sample"
REAL_SIGMA = 2.0


# fdlibm 5.3 e_exp.c, which V8 uses for Math.exp (src/base/ieee754.cc); Python floats are IEEE
# doubles with the same rounding, so this returns Math.exp's value bit for bit.
_HALF = (0.5, -0.5)
_LN2_HI = (6.93147180369123816490e-01, -6.93147180369123816490e-01)
_LN2_LO = (1.90821492927058770002e-10, -1.90821492927058770002e-10)
_INV_LN2 = 1.44269504088896338700e+00
_P = (1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05,
      -1.65339022054652515390e-06, 4.13813679705723846039e-08)


def _words(x):
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    return bits >> 32, bits & 0xFFFFFFFF


def _from_high_word(hi):
    return struct.unpack("<d", struct.pack("<Q", (hi & 0xFFFFFFFF) << 32))[0]


def fdlibm_exp(x):
    hx, lx = _words(x)
    sign = hx >> 31
    hx &= 0x7FFFFFFF
    if hx >= 0x40862E42:  # |x| >= 709.78 or NaN
        if hx >= 0x7FF00000:
            return x + x if ((hx & 0xFFFFF) | lx) else (0.0 if sign else x)
        if x > 7.09782712893383973096e+02:
            return math.inf
        if x < -7.45133219101941108420e+02:
            return 0.0
    hi = lo = 0.0
    k = 0
    if hx > 0x3FD62E42:  # |x| > 0.5 ln2: reduce
        if hx < 0x3FF0A2B2:  # |x| < 1.5 ln2
            hi = x - _LN2_HI[sign]
            lo = _LN2_LO[sign]
            k = 1 - sign - sign
        else:
            k = int(_INV_LN2 * x + _HALF[sign])
            t = float(k)
            hi = x - t * _LN2_HI[0]
            lo = t * _LN2_LO[0]
        x = hi - lo
    elif hx < 0x3E300000:  # |x| < 2^-28
        return 1.0 + x
    t = x * x
    c = x - t * (_P[0] + t * (_P[1] + t * (_P[2] + t * (_P[3] + t * _P[4]))))
    if k == 0:
        return 1.0 - ((x * c) / (c - 2.0) - x)
    y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi)
    if k >= -1021:
        if k == 1024:
            return y * 2.0 * 8.98846567431157953865e+307
        return y * _from_high_word(0x3FF00000 + (k << 20))
    return y * _from_high_word(0x3FF00000 + ((k + 1000) << 20)) * 9.33263618503218878990e-302


def js_gaussian_kernel1d(sigma, order, radius):
    """scipy's _gaussian_kernel1d (order 0) with xray-gpu's arithmetic: Math.exp, sequential sum."""
    if order != 0:
        raise ValueError(f"only order 0 is needed for canny, got {order}")
    factor = -0.5 / (sigma * sigma)
    phi = [fdlibm_exp(factor * float(x * x)) for x in range(-radius, radius + 1)]
    total = 0.0
    for value in phi:
        total += value
    return np.array([value / total for value in phi])


def canny_with_js_weights(image, **kwargs):
    numpy_kernel = scipy_filters._gaussian_kernel1d
    scipy_filters._gaussian_kernel1d = js_gaussian_kernel1d
    try:
        return canny(image, **kwargs)
    finally:
        scipy_filters._gaussian_kernel1d = numpy_kernel


def synthetic_inputs():
    """Small images with edges in every direction, odd sizes, each dtype the engines accept."""
    rng = np.random.default_rng(20240607)
    yy, xx = np.mgrid[0:37, 0:53]
    inputs = {}

    square = np.zeros((37, 53), np.uint8)
    square[9:28, 14:40] = 200
    inputs["square_u8"] = square

    noisy_square = square.astype(np.float64) + rng.normal(0, 25, square.shape)
    inputs["noisy_square_u8"] = np.clip(noisy_square, 0, 255).astype(np.uint8)

    # Off-centre disc: every gradient octant, interpolation weights strictly between 0 and 1.
    disc = ((yy - 17.3) ** 2 + (xx - 25.6) ** 2 < 11.2 ** 2).astype(np.float64)
    inputs["disc_f64"] = disc * 0.8 + 0.1

    inputs["noise_u8"] = rng.integers(0, 256, (31, 29), dtype=np.uint8)
    inputs["noise_f64"] = rng.random((23, 41))

    # Smooth ramp plus a diagonal step: weak gradients everywhere, strong ones along a line.
    ramp = (xx * 1.5 + yy * 0.7 + 120.0 * (xx + 0.6 * yy > 40)).astype(np.float64)
    inputs["ramp_step_u8"] = np.clip(ramp, 0, 255).astype(np.uint8)

    blobs = np.zeros((41, 47))
    for cy, cx, r, v in [(10, 12, 6, 0.9), (28, 30, 9, 0.5), (12, 36, 4, 0.7), (33, 9, 5, 0.3)]:
        blobs[(np.mgrid[0:41, 0:47][0] - cy) ** 2 + (np.mgrid[0:41, 0:47][1] - cx) ** 2 <= r * r] = v
    inputs["blobs_u16"] = (blobs * 65535).round().astype(np.uint16)

    # A vertical edge whose contrast grows downwards: only its bottom rows pass the high threshold,
    # so hysteresis must carry "strong" ~280 pixels up the chain, across many GPU tiles. The
    # middle column takes 35% of the step so that the two columns either side of the edge do not tie.
    cy, cx = np.mgrid[0:300, 0:48]
    contrast = 40 + 0.5 * cy
    chain = np.where(cx < 20, 0.0, np.where(cx == 20, 0.35 * contrast, contrast))
    inputs["long_chain_u8"] = chain.round().astype(np.uint8)

    inputs["row_1x7_u8"] = np.array([[0, 10, 200, 30, 250, 0, 90]], np.uint8)
    inputs["tiny_5x3_f64"] = rng.random((5, 3))
    inputs["stripe_3x9_u8"] = np.array([[0] * 4 + [255] * 5] * 3, np.uint8)
    return inputs


# (case name, input name, skimage keyword arguments). Thresholds are in the input's dtype units.
CASES = [
    ("square_u8_default", "square_u8", {}),
    ("square_u8_sigma2", "square_u8", {"sigma": 2.0}),
    ("square_u8_sigma3_reflect", "square_u8", {"sigma": 3.0, "mode": "reflect"}),
    ("square_u8_abs", "square_u8", {"sigma": 1.5, "low_threshold": 10, "high_threshold": 40}),
    ("noisy_square_u8_default", "noisy_square_u8", {}),
    ("noisy_square_u8_sigma2", "noisy_square_u8", {"sigma": 2.0}),
    ("noisy_square_u8_quantiles", "noisy_square_u8", {"sigma": 1.0, "low_threshold": 0.7, "high_threshold": 0.9, "use_quantiles": True}),
    ("noisy_square_u8_quantile_defaults", "noisy_square_u8", {"sigma": 2.0, "use_quantiles": True}),
    ("noisy_square_u8_mirror", "noisy_square_u8", {"sigma": 1.0, "mode": "mirror"}),
    ("noisy_square_u8_cval", "noisy_square_u8", {"sigma": 2.0, "mode": "constant", "cval": 0.4}),
    ("disc_f64_default", "disc_f64", {}),
    ("disc_f64_sigma2", "disc_f64", {"sigma": 2.0}),
    ("disc_f64_sigma3", "disc_f64", {"sigma": 3.0, "low_threshold": 0.02, "high_threshold": 0.05}),
    ("disc_f64_sigma_pair", "disc_f64", {"sigma": (1.0, 2.5)}),
    ("noise_u8_default", "noise_u8", {}),
    ("noise_u8_sigma2_abs", "noise_u8", {"sigma": 2.0, "low_threshold": 5, "high_threshold": 12}),
    ("noise_u8_sigma2_nearest", "noise_u8", {"sigma": 2.0, "low_threshold": 5, "high_threshold": 12, "mode": "nearest"}),
    ("noise_u8_sigma2_wrap", "noise_u8", {"sigma": 2.0, "low_threshold": 5, "high_threshold": 12, "mode": "wrap"}),
    ("noise_u8_sigma2_reflect", "noise_u8", {"sigma": 2.0, "low_threshold": 5, "high_threshold": 12, "mode": "reflect"}),
    ("noise_u8_equal_thresholds", "noise_u8", {"sigma": 1.0, "low_threshold": 60, "high_threshold": 60}),
    ("noise_f64_default", "noise_f64", {}),
    ("noise_f64_quantiles", "noise_f64", {"sigma": 1.0, "low_threshold": 0.5, "high_threshold": 0.8, "use_quantiles": True}),
    ("noise_f64_quantiles_extreme", "noise_f64", {"sigma": 2.0, "low_threshold": 0.0, "high_threshold": 1.0, "use_quantiles": True}),
    ("ramp_step_u8_default", "ramp_step_u8", {}),
    ("ramp_step_u8_weak", "ramp_step_u8", {"sigma": 1.0, "low_threshold": 1, "high_threshold": 3}),
    ("ramp_step_u8_reflect", "ramp_step_u8", {"sigma": 2.0, "mode": "reflect", "low_threshold": 2, "high_threshold": 20}),
    ("blobs_u16_default", "blobs_u16", {}),
    ("blobs_u16_sigma2_abs", "blobs_u16", {"sigma": 2.0, "low_threshold": 2000, "high_threshold": 6000}),
    ("long_chain_u8", "long_chain_u8", {"sigma": 1.0, "low_threshold": 50, "high_threshold": 460}),
    ("row_1x7_u8_default", "row_1x7_u8", {}),
    ("tiny_5x3_f64_low", "tiny_5x3_f64", {"sigma": 0.5, "low_threshold": 0.0, "high_threshold": 0.01}),
    ("stripe_3x9_u8_default", "stripe_3x9_u8", {"sigma": 0.8}),
]

CAMEL = {"sigma": "sigma", "low_threshold": "lowThreshold", "high_threshold": "highThreshold",
         "use_quantiles": "useQuantiles", "mode": "mode", "cval": "cval"}


def to_params(kwargs):
    params = {}
    for key, value in kwargs.items():
        params[CAMEL[key]] = list(value) if isinstance(value, tuple) else value
    return params


def float32_sensitivity(image, kwargs, edges):
    """Pixels that change when skimage itself computes in float32 (as the GPU does): it does so
    for float32 input, given in img_as_float units with absolute thresholds scaled to match."""
    scale = {"uint8": 255, "uint16": 65535}.get(str(image.dtype), 1)
    as_float32 = (image.astype(np.float64) * (1.0 / scale)).astype(np.float32)
    kwargs32 = dict(kwargs)
    if not kwargs.get("use_quantiles", False):
        for key in ("low_threshold", "high_threshold"):
            if kwargs.get(key) is not None:
                kwargs32[key] = kwargs[key] / scale
    return int((canny(as_float32, **kwargs32) != edges).sum())


def percentile_cases():
    """np.percentile(values, 100 * q) as canny calls it, for testing the quantile thresholds alone
    (JSON floats round-trip exactly)."""
    rng = np.random.default_rng(7)
    arrays = [
        [0.25],
        rng.random(10).tolist(),
        (rng.integers(0, 4, 25) / 3.0).tolist(),  # many duplicates
        (rng.random(1001) ** 3).tolist(),
    ]
    quantiles = [0.0, 0.1, 0.2, 0.25, 1 / 3, 0.5, 0.7, 0.9, 0.999, 1.0]
    return [
        {"values": values, "quantiles": quantiles,
         "percentiles": np.percentile(np.array(values), [100.0 * q for q in quantiles]).tolist()}
        for values in arrays
    ]


def write_synthetic():
    OUT.mkdir(parents=True, exist_ok=True)
    inputs = synthetic_inputs()
    for name, array in inputs.items():
        np.save(OUT / f"{name}.input.npy", np.ascontiguousarray(array))
    cases = []
    for case, input_name, kwargs in CASES:
        edges = canny(inputs[input_name], **kwargs)
        np.save(OUT / f"{case}.edges.npy", edges.astype(np.uint8))
        entry = {
            "name": case,
            "input": f"{input_name}.input.npy",
            "dtype": str(inputs[input_name].dtype),
            "params": to_params(kwargs),
            "edges": f"{case}.edges.npy",
            "edgeCount": int(edges.sum()),
            "pixelsChangedByFloat32": float32_sensitivity(inputs[input_name], kwargs, edges),
        }
        js_edges = canny_with_js_weights(inputs[input_name], **kwargs)
        if not np.array_equal(js_edges, edges):
            np.save(OUT / f"{case}.edges-js-weights.npy", js_edges.astype(np.uint8))
            entry["edgesWithJsWeights"] = f"{case}.edges-js-weights.npy"
            entry["pixelsChangedByJsWeights"] = int((js_edges != edges).sum())
        cases.append(entry)
    manifest = {
        "generator": "scripts/make_canny_golden.py",
        "skimage": skimage.__version__,
        "numpy": np.__version__,
        "cases": cases,
        "percentiles": percentile_cases(),
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(cases)} synthetic cases -> {OUT}")


def write_real(samples_dir):
    from PIL import Image

    files = sorted(samples_dir.glob("*.png"))
    if not files:
        print(f"no PNG samples in {samples_dir}: real-sample fixtures not written")
        return
    REAL_OUT.mkdir(parents=True, exist_ok=True)
    entries = []
    for path in files:
        image = np.asarray(Image.open(path))
        if image.dtype != np.uint8 or image.ndim != 2:
            raise SystemExit(f"{path}: expected 8-bit grayscale, got {image.dtype} {image.shape}")
        edges = canny(image, sigma=REAL_SIGMA)
        packed = zlib.compress(np.packbits(edges.ravel()).tobytes(), 9)
        out_name = f"{path.stem}.edges.bin"
        (REAL_OUT / out_name).write_bytes(packed)
        entries.append({
            "sample": path.name,
            "height": int(image.shape[0]),
            "width": int(image.shape[1]),
            "edges": out_name,
            "edgeCount": int(edges.sum()),
        })
    manifest = {
        "generator": "scripts/make_canny_golden.py",
        "skimage": skimage.__version__,
        "call": f"skimage.feature.canny(image, sigma={REAL_SIGMA})",
        "encoding": "zlib(np.packbits(edges.ravel()))",
        "params": {"sigma": REAL_SIGMA},
        "samples": entries,
    }
    (REAL_OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(entries)} real samples -> {REAL_OUT}")


if __name__ == "__main__":
    write_synthetic()
    write_real(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SAMPLES)

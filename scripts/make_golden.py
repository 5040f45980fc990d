#!/usr/bin/python3
"""Golden fixtures for xray-gpu: SciPy 1.10 (float64) outputs for every op, mode, sigma and order.

Run with Debian's python3 (it has scipy 1.10.1 and numpy 1.24.2), from the repository root:

    /usr/bin/python3 scripts/make_golden.py [--samples DIR]

Writes test/golden/manifest.json, test/golden/inputs/*.npy and test/golden/expected/*.npy (float64,
C order), and, when the ChestX-ray8 samples are found, test/golden/real-sample.json with
fingerprints (sums, extremes and values at fixed pixels) of each op on 00000011_001.png.

Every case's "request" is an OpRequest exactly as the TypeScript engines take it; the expected
output is what scipy.ndimage computes for it. One deliberate difference: where SciPy's
`x * (255 / max(x))` divides by a zero maximum (an image without edges, giving NaN), xray-gpu
returns zeros, so the fixture holds zeros there (see src/cpu/pointwise.ts).
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np
import scipy
from scipy import ndimage

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "test", "golden")
MODES = ["reflect", "mirror", "nearest", "constant", "wrap"]
CVAL = 17.5  # nonzero, so constant mode is tested with a value that shows
SIGMAS = [0.5, 1, 2, 3.3]
ORDERS = [(0, 0), (1, 0), (0, 2), (2, 1)]
TOLERANCE = 1e-9  # max |diff| <= TOLERANCE * max(1, range of expected)


# ---------------------------------------------------------------- inputs

def make_inputs():
    """Deterministic test images: random floats, and 8-bit-looking structured ones."""
    rng = np.random.default_rng(20240611)
    inputs = {}
    for h, w in [(1, 1), (1, 7), (7, 1), (5, 3)]:
        inputs[f"random_{h}x{w}"] = rng.uniform(0, 255, size=(h, w))
    for h, w in [(37, 53), (64, 48)]:
        y, x = np.mgrid[0:h, 0:w]
        # A lung-like bright disc on a ramp, with noise, rounded to integer levels 0..255.
        disc = 120.0 * (((y - h * 0.45) / (h * 0.3)) ** 2 + ((x - w * 0.55) / (w * 0.35)) ** 2 < 1)
        image = 40 + 2.0 * x + 1.5 * y + disc + rng.normal(0, 12, size=(h, w))
        image[h // 3, :] = 255  # a saturated line: values exactly at the histogram's max
        image[:, w // 4] = 0
        inputs[f"structured_{h}x{w}"] = np.clip(np.round(image), 0, 255)
    inputs["uint8_37x53"] = inputs["structured_37x53"].astype(np.uint8)
    return inputs


# ---------------------------------------------------------------- ops as SciPy computes them

def pair(value):
    return tuple(value) if isinstance(value, (list, tuple)) else (value, value)


def normalise(x):
    """The tutorial's x * (255 / max(x)); zeros where max is 0 (xray-gpu's documented choice)."""
    peak = np.max(x)
    if peak == 0:
        return np.zeros_like(x)
    return x * (255.0 / peak)


def scipy_op(request, x):
    """The float64 result of one OpRequest on float64 image x, by scipy.ndimage."""
    op = request["op"]
    mode = request.get("mode", "reflect")
    cval = request.get("cval", 0.0)
    gauss_kw = {"mode": mode, "cval": cval, "truncate": request.get("truncate", 4.0)}
    if "radius" in request:
        gauss_kw["radius"] = request["radius"]
    if op == "gaussian":
        return ndimage.gaussian_filter(x, pair(request.get("sigma", 1)), order=pair(request.get("order", 0)), **gauss_kw)
    if op == "gaussian-laplace":
        return ndimage.gaussian_laplace(x, pair(request.get("sigma", 1)), **gauss_kw)
    if op == "gaussian-gradient-magnitude":
        return ndimage.gaussian_gradient_magnitude(x, pair(request.get("sigma", 2)), **gauss_kw)
    if op == "sobel":
        return ndimage.sobel(x, axis=request.get("axis", -1), mode=mode, cval=cval)
    if op == "prewitt":
        return ndimage.prewitt(x, axis=request.get("axis", -1), mode=mode, cval=cval)
    if op == "laplace":
        return ndimage.laplace(x, mode=mode, cval=cval)
    if op in ("sobel-magnitude", "prewitt-magnitude"):
        edge = ndimage.sobel if op == "sobel-magnitude" else ndimage.prewitt
        return normalise(np.hypot(edge(x, axis=0, mode=mode, cval=cval), edge(x, axis=1, mode=mode, cval=cval)))
    if op == "fourier-gaussian":
        return ndimage.fourier_gaussian(x, pair(request.get("sigma", 0.05)))
    if op == "tutorial-canny":
        smoothed = ndimage.fourier_gaussian(x, pair(request.get("sigma", 0.05)))
        return normalise(np.hypot(ndimage.prewitt(smoothed, axis=0, mode=mode, cval=cval),
                                  ndimage.prewitt(smoothed, axis=1, mode=mode, cval=cval)))
    if op == "mask":
        t = request.get("threshold", 150)
        return np.where(x > t, x, 0).astype(np.float64)
    if op == "mask-binary":
        t = request.get("threshold", 150)
        return np.where(x > t, 1, 0).astype(np.float64)
    raise ValueError(f"unknown op {op!r}")


EXACT_OPS = {"mask", "mask-binary"}


# ---------------------------------------------------------------- the case table

def with_mode(request, mode):
    out = dict(request, mode=mode)
    if mode == "constant":
        out["cval"] = CVAL
    return out


def full_requests():
    """Every op x mode x sigma x order: run on the small images, where files are tiny."""
    requests = []
    for mode in MODES:
        for sigma in SIGMAS:
            for order in ORDERS:
                requests.append(with_mode({"op": "gaussian", "sigma": sigma, "order": list(order)}, mode))
            requests.append(with_mode({"op": "gaussian-laplace", "sigma": sigma}, mode))
            requests.append(with_mode({"op": "gaussian-gradient-magnitude", "sigma": sigma}, mode))
        for op in ("sobel", "prewitt"):
            for axis in (0, 1):
                requests.append(with_mode({"op": op, "axis": axis}, mode))
        for op in ("laplace", "sobel-magnitude", "prewitt-magnitude"):
            requests.append(with_mode({"op": op}, mode))
        requests.append(with_mode({"op": "tutorial-canny", "sigma": 0.5}, mode))
    requests += variant_requests()
    for sigma in [0.05, 0.5, 2, 3.3, [0.5, 3.3]]:
        requests.append({"op": "fourier-gaussian", "sigma": sigma})
    for threshold in [0, 100.5, 150, 255]:
        requests.append({"op": "mask", "threshold": threshold})
        requests.append({"op": "mask-binary", "threshold": threshold})
    return requests


def variant_requests():
    """Parameters beyond the mode/sigma/order grid: truncate, radius, per-axis sigma, zero sigma, cval 0."""
    return [
        {"op": "gaussian", "sigma": 2, "truncate": 1.0},
        {"op": "gaussian", "sigma": 2, "truncate": 2.6, "mode": "mirror"},
        {"op": "gaussian", "sigma": 1, "radius": 0},
        {"op": "gaussian", "sigma": 1, "radius": 2, "order": [1, 0]},
        {"op": "gaussian", "sigma": 0.5, "radius": 7, "order": [0, 2], "mode": "wrap"},
        {"op": "gaussian", "sigma": [0.5, 3.3], "order": [2, 1], "mode": "nearest"},
        {"op": "gaussian", "sigma": [0, 2], "order": [1, 1]},  # axis 0 skipped, its order with it
        {"op": "gaussian", "sigma": 0},  # a copy
        {"op": "gaussian", "sigma": 1, "order": [3, 0]},
        {"op": "gaussian", "sigma": 1, "mode": "constant", "cval": 0},
        {"op": "gaussian-laplace", "sigma": 1.5, "truncate": 2.0, "mode": "wrap"},
        {"op": "gaussian-laplace", "sigma": 1, "radius": 3},
        {"op": "gaussian-gradient-magnitude", "sigma": [1, 2], "radius": 4, "mode": "constant", "cval": -3},
        {"op": "gaussian-gradient-magnitude", "sigma": 2, "truncate": 3.0},
        {"op": "sobel", "axis": 1, "mode": "constant", "cval": 0},
        {"op": "tutorial-canny"},
        {"op": "tutorial-canny", "sigma": [0.05, 2], "mode": "constant", "cval": 5},
    ]


def big_requests():
    """On the larger images: each op with its defaults, every mode once, and the variants."""
    requests = [{"op": op} for op in ("gaussian", "gaussian-laplace", "gaussian-gradient-magnitude", "laplace",
                                      "sobel-magnitude", "prewitt-magnitude", "fourier-gaussian", "tutorial-canny",
                                      "mask", "mask-binary")]
    for op in ("sobel", "prewitt"):
        for axis in (0, 1):
            requests.append({"op": op, "axis": axis})
    for mode in MODES:
        requests.append(with_mode({"op": "gaussian", "sigma": 3.3, "order": [1, 0]}, mode))
        requests.append(with_mode({"op": "sobel-magnitude"}, mode))
    for sigma in SIGMAS:
        for order in ORDERS[1:]:
            requests.append({"op": "gaussian", "sigma": sigma, "order": list(order)})
    requests += variant_requests()
    requests.append({"op": "fourier-gaussian", "sigma": 3.3})
    requests.append({"op": "mask", "threshold": 100.5})
    return requests


HISTOGRAMS = [
    {"min": 0, "max": 255, "bins": 256},  # the tutorial's: bins 255/256 wide
    {"min": 0, "max": 255, "bins": 10},
    {"min": 10.5, "max": 200, "bins": 7},  # drops values outside [min, max]
    {"min": 0, "max": 1, "bins": 3},
    {"min": 255, "max": 255, "bins": 4},  # zero-width range: values at 255 land in the last bin
]


def case_name(request, input_name):
    params = ",".join(f"{k}={json.dumps(v).replace(' ', '')}" for k, v in request.items() if k != "op")
    return f"{request['op']}({params}) on {input_name}"


def write_npy(relative, array):
    path = os.path.join(GOLDEN, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(array))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", default=os.environ.get("XRAY_SAMPLES", os.path.join(ROOT, "..", "shared", "data", "chestxray8-sample")))
    args = parser.parse_args()

    for sub in ("inputs", "expected"):
        shutil.rmtree(os.path.join(GOLDEN, sub), ignore_errors=True)
    inputs = make_inputs()
    input_files = {}
    for name, array in inputs.items():
        input_files[name] = f"inputs/{name}.npy"
        write_npy(input_files[name], array)

    cases = []
    seen_outputs = {}

    def add_op_case(request, input_name):
        x = inputs[input_name].astype(np.float64)
        expected = scipy_op(request, x)
        assert expected.dtype == np.float64 and expected.shape == x.shape, (request, expected.dtype)
        if not np.all(np.isfinite(expected)):
            raise RuntimeError(f"non-finite SciPy output for {case_name(request, input_name)}")
        # Identical outputs (common on 1x1 images) share one file.
        key = (expected.shape, expected.tobytes())
        if key not in seen_outputs:
            seen_outputs[key] = f"expected/{len(seen_outputs):04d}.npy"
            write_npy(seen_outputs[key], expected)
        cases.append({
            "name": case_name(request, input_name),
            "kind": "op",
            "request": request,
            "input": input_files[input_name],
            "expected": seen_outputs[key],
            "tolerance": 0 if request["op"] in EXACT_OPS else TOLERANCE,
        })

    for input_name in ("random_1x1", "random_1x7", "random_7x1", "random_5x3"):
        for request in full_requests():
            add_op_case(request, input_name)
    for input_name in ("structured_37x53", "structured_64x48"):
        for request in big_requests():
            add_op_case(request, input_name)
    for request in ({"op": "gaussian", "sigma": 2}, {"op": "sobel-magnitude"}, {"op": "mask"}):
        add_op_case(request, "uint8_37x53")

    for input_name in ("random_5x3", "structured_64x48", "uint8_37x53"):
        x = inputs[input_name]
        for options in HISTOGRAMS:
            counts = ndimage.histogram(x, options["min"], options["max"], options["bins"])
            cases.append({
                "name": f"histogram(min={options['min']},max={options['max']},bins={options['bins']}) on {input_name}",
                "kind": "histogram",
                "input": input_files[input_name],
                "histogram": options,
                "expectedCounts": [int(c) for c in counts],
            })
    for input_name in inputs:
        x = inputs[input_name]
        cases.append({
            "name": f"stats on {input_name}",
            "kind": "stats",
            "input": input_files[input_name],
            "expectedStats": {"min": float(np.min(x)), "max": float(np.max(x)), "mean": float(np.mean(x)),
                              "median": float(np.median(x))},
        })

    manifest = {
        "generator": "scripts/make_golden.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "tolerance": "op cases: max |actual - expected| <= tolerance * max(1, max(expected) - min(expected)); 0 = exact",
        "cases": cases,
    }
    with open(os.path.join(GOLDEN, "manifest.json"), "w") as f:
        # One case per line: compact, and diffs of regenerated fixtures stay readable.
        head = json.dumps({k: v for k, v in manifest.items() if k != "cases"}, indent=1)[:-2]
        f.write(head + ',\n "cases": [\n')
        f.write(",\n".join("  " + json.dumps(case) for case in cases))
        f.write("\n ]\n}\n")
    print(f"{len(cases)} cases, {len(seen_outputs)} expected files, {len(inputs)} inputs", file=sys.stderr)

    sample = os.path.join(args.samples, "00000011_001.png")
    if os.path.exists(sample):
        write_real_sample_fingerprints(sample)
    else:
        print(f"no sample at {sample}: real-sample.json left as it is", file=sys.stderr)


# ---------------------------------------------------------------- real-sample fingerprints

REAL_REQUESTS = [
    {"op": "gaussian"},
    {"op": "gaussian", "sigma": 3.3, "order": [1, 0], "mode": "constant", "cval": 17.5},
    {"op": "gaussian-laplace"},
    {"op": "gaussian-gradient-magnitude"},
    {"op": "sobel", "axis": 0},
    {"op": "sobel", "axis": 1},
    {"op": "prewitt", "axis": 0},
    {"op": "prewitt", "axis": 1, "mode": "wrap"},
    {"op": "laplace", "mode": "mirror"},
    {"op": "sobel-magnitude"},
    {"op": "prewitt-magnitude", "mode": "nearest"},
    {"op": "fourier-gaussian"},
    {"op": "tutorial-canny"},
    {"op": "mask"},
    {"op": "mask-binary"},
]


def fingerprint_positions(h, w):
    """~50 fixed pixels: the corners and edge midpoints (where boundary modes matter), then random ones."""
    rng = np.random.default_rng(11001)
    fixed = [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1), (0, w // 2), (h // 2, 0), (h - 1, w // 2), (h // 2, w - 1),
             (1, 1), (h // 2, w // 2)]
    rand = [(int(r), int(c)) for r, c in zip(rng.integers(0, h, 40), rng.integers(0, w, 40))]
    return fixed + rand


def write_real_sample_fingerprints(path):
    import cv2  # Debian's python3-opencv: reads the 8-bit gray PNG as uint8 without conversion

    image = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    assert image.dtype == np.uint8 and image.ndim == 2, (image.dtype, image.shape)
    h, w = image.shape
    x = image.astype(np.float64)
    positions = fingerprint_positions(h, w)
    outputs = []
    for request in REAL_REQUESTS:
        y = scipy_op(request, x)
        outputs.append({
            "request": request,
            "sum": float(np.sum(y)),
            "min": float(np.min(y)),
            "max": float(np.max(y)),
            "values": [float(y[r, c]) for r, c in positions],
        })
    result = {
        "generator": "scripts/make_golden.py",
        "scipy": scipy.__version__,
        "image": os.path.basename(path),
        "width": w,
        "height": h,
        "stats": {"min": float(image.min()), "max": float(image.max()), "mean": float(np.mean(image)),
                  "median": float(np.median(image))},
        "histogram": {"min": 0, "max": 255, "bins": 256,
                      "counts": [int(c) for c in ndimage.histogram(image, 0, 255, 256)]},
        "positions": [[r, c] for r, c in positions],
        "outputs": outputs,
    }
    with open(os.path.join(GOLDEN, "real-sample.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"fingerprints of {len(outputs)} ops on {path}", file=sys.stderr)


if __name__ == "__main__":
    main()

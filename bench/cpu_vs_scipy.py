#!/usr/bin/python3
"""SciPy side of bench/cpu-vs-scipy.mjs: times scipy.ndimage (float64, as the CPU engine computes)
on one 8-bit PNG for each request given as JSON, and prints {"name": {"wall": ms, "cpu": ms}, ...}
as JSON: medians of wall-clock time and of process CPU time (the fairer figure on a shared machine).

    /usr/bin/python3 bench/cpu_vs_scipy.py IMAGE.png REQUESTS_JSON [REPEAT]

The uint8 -> float64 conversion happens once, outside the timed region. Requests use the
OpRequest format; the ops are computed by scripts/make_golden.py's scipy_op (the golden oracle).
"""
import json
import os
import sys
import time

import cv2
import numpy as np
from scipy import ndimage

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from make_golden import scipy_op  # noqa: E402


def median_ms(fn, repeat):
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {"wall": float(np.median(wall)), "cpu": float(np.median(cpu))}


def main():
    image = cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED)
    requests = json.loads(sys.argv[2])
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    x = image.astype(np.float64)
    result = {}
    for entry in requests:
        name, request = entry["name"], entry["request"]
        if request["op"] == "histogram":
            result[name] = median_ms(lambda: ndimage.histogram(image, 0, 255, 256), repeat)
        elif request["op"] == "stats":
            result[name] = median_ms(lambda: (image.min(), image.max(), image.mean(), np.median(image)), repeat)
        else:
            result[name] = median_ms(lambda: scipy_op(request, x), repeat)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

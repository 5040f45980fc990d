#!/usr/bin/python3
"""pydicom 2.3 (+ gdcm) peer of bench/dicom/decode-bench.mjs: writes one 1024x1024 DICOM per transfer
syntax (12-bit MONOCHROME2 from a ChestX-ray8 sample; 8-bit for JPEG baseline) into DIR with dcmtk and
gdcmconv, then times pydicom's decode (dcmread + pixel_array) of each, median of --repeat runs.

  /usr/bin/python3 bench/dicom/decode_bench.py DIR [--repeat 7] > pydicom.json
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np
import pydicom

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts'))
from make_dicom_golden import _write  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# name, base file, tool and options
SYNTAXES = [
    ('explicit-le', 'u12', None),
    ('implicit-le', 'u12', ('dcmconv', '+ti')),
    ('explicit-be', 'u12', ('dcmconv', '+tb')),
    ('deflated', 'u12', ('dcmconv', '+td')),
    ('rle', 'u12', ('dcmcrle',)),
    ('jpeg-baseline', 'u8', ('dcmcjpeg', '+eb')),
    ('jpeg-lossless-sv1', 'u12', ('dcmcjpeg', '+e1')),
    ('jpeg-ls', 'u12', ('dcmcjpls', '+el')),
    ('jpeg-ls-near', 'u12', ('dcmcjpls', '+en', '+md', '2')),
    ('j2k-lossless', 'u12', ('gdcmconv', '--j2k')),
    ('j2k-lossy', 'u12', ('gdcmconv', '--j2k', '--lossy', '-q', '40')),
]


def make_inputs(folder):
    from PIL import Image
    samples = os.environ.get('XRAY_SAMPLES', os.path.join(REPO, '..', 'shared', 'data', 'chestxray8-sample'))
    png = sorted(f for f in os.listdir(samples) if f.endswith('.png'))[0]
    gray = np.asarray(Image.open(os.path.join(samples, png)).convert('L'))
    bases = {
        'u8': _write(folder, 'base_u8', gray.astype(np.uint8), 8, 8, False, 'MONOCHROME2', window=(127.0, 200.0)),
        'u12': _write(folder, 'base_u12', (gray.astype(np.int64) * 16 + 8).astype(np.uint16), 16, 12, False,
                      'MONOCHROME2', slope=0.5, intercept=-100, window=(900.0, 1600.0)),
    }
    files = {}
    for name, base, tool in SYNTAXES:
        path = os.path.join(folder, name + '.dcm')
        if tool is None:
            shutil.copy(bases[base], path)
        else:
            subprocess.run([*tool, bases[base], path], check=True, stdout=subprocess.DEVNULL)
        files[name] = path
    return files


def main():
    folder = sys.argv[1]
    repeat = int(sys.argv[sys.argv.index('--repeat') + 1]) if '--repeat' in sys.argv else 7
    os.makedirs(folder, exist_ok=True)
    files = make_inputs(folder)
    results = {}
    for name, path in files.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            ds = pydicom.dcmread(path)
            ds.pixel_array  # noqa: B018 (the decode being timed)
            times.append((time.perf_counter() - start) * 1000)
        results[name] = {'file': path, 'bytes': os.path.getsize(path), 'syntax': str(ds.file_meta.TransferSyntaxUID),
                         'median_ms': statistics.median(times)}
    json.dump({'pydicom': pydicom.__version__, 'repeat': repeat, 'results': results}, sys.stdout, indent=1)


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""Writes test/io/fixtures/pillow-luma.json: Pillow's convert("L") of a few RGB(A) and palette colours.

Run with Debian's /usr/bin/python3 (Pillow 9.4). The test decodes PNGs holding these colours and
expects exactly Pillow's gray levels: L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
"""
import io
import json
import pathlib

import numpy as np
from PIL import Image

rng = np.random.default_rng(20240611)
# Extremes, the rounding edge cases of the 16.16 fixed-point form, and random colours.
colours = [
    (0, 0, 0), (255, 255, 255), (255, 0, 0), (0, 255, 0), (0, 0, 255),
    (1, 1, 1), (128, 128, 128), (127, 128, 129), (10, 200, 30), (200, 100, 50),
    (3, 0, 0), (0, 1, 0), (0, 0, 9), (254, 1, 0), (17, 34, 51),
] + [tuple(int(v) for v in c) for c in rng.integers(0, 256, size=(49, 3))]
rgb = np.array([colours], dtype=np.uint8)  # one row of 64 pixels

def roundtrip(image):
    buffer = io.BytesIO()
    image.save(buffer, 'PNG')
    buffer.seek(0)
    return Image.open(buffer)

luma_rgb = np.array(roundtrip(Image.fromarray(rgb, 'RGB')).convert('L'))[0]
alpha = rng.integers(0, 256, size=(1, len(colours), 1), dtype=np.uint8)
luma_rgba = np.array(roundtrip(Image.fromarray(np.concatenate([rgb, alpha], axis=2), 'RGBA')).convert('L'))[0]
palette_image = Image.new('P', (len(colours), 1))
palette_image.putpalette([v for c in colours for v in c])
palette_image.putdata(list(range(len(colours))))
luma_palette = np.array(roundtrip(palette_image).convert('L'))[0]
assert (luma_rgb == luma_rgba).all() and (luma_rgb == luma_palette).all(), 'Pillow drops alpha and palettes alike'

out = pathlib.Path(__file__).resolve().parent.parent / 'test' / 'io' / 'fixtures' / 'pillow-luma.json'
out.write_text(json.dumps({
    'source': 'scripts/pillow-luma-oracle.py: PIL.Image.convert("L") on RGB, RGBA and palette PNGs',
    'pillow': Image.__version__,
    'rgb': [list(c) for c in colours],
    'alpha': [int(a) for a in alpha[0, :, 0]],
    'luma': [int(v) for v in luma_rgb],
}, indent=None) + '\n')
print(f'wrote {out}')

#!/usr/bin/python3
"""JPEG golden fixtures: small JPEGs written by Pillow (libjpeg-turbo) and Pillow's convert("L") pixels.

Run with Debian's /usr/bin/python3 (python3-pil, python3-numpy):
    /usr/bin/python3 scripts/make_jpeg_golden.py
Writes test/golden/jpeg/<case>.jpg, <case>.npy (uint8, shape (height, width)) and manifest.json.
Each image is a smooth gradient with an edge and noise, so that the IDCT, the chroma upsampling and
the colour conversion all show in the pixels.
"""
import io
import json
import os

import numpy as np
import PIL
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'golden', 'jpeg')


def picture(width, height, colour, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    base = 40 + 150 * (x / max(1, width - 1)) * (0.5 + 0.5 * np.sin(y / 5.0))
    base[(x - width / 2) ** 2 + (y - height / 2) ** 2 < (min(width, height) / 4) ** 2] += 60
    noise = rng.normal(0, 12, (height, width, 3 if colour else 1))
    if colour:
        tint = np.stack([base * 1.1, base * 0.8 + 30 * np.cos(x / 4.0), 255 - base], axis=-1)
        pixels = tint + noise
    else:
        pixels = base[..., None] + noise
    pixels = np.clip(np.rint(pixels), 0, 255).astype(np.uint8)
    return Image.fromarray(pixels[..., 0] if not colour else pixels, 'RGB' if colour else 'L')


# name, width, height, colour, subsampling (Pillow: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0), progressive, quality
CASES = [
    ('gray-baseline-37x53', 37, 53, False, 0, False, 90),
    ('gray-progressive-37x53', 37, 53, False, 0, True, 75),
    ('rgb420-baseline-37x53', 37, 53, True, 2, False, 85),
    ('rgb444-baseline-37x53', 37, 53, True, 0, False, 95),
    ('rgb422-baseline-40x31', 40, 31, True, 1, False, 80),
    ('rgb420-progressive-61x45', 61, 45, True, 2, True, 70),
    ('rgb444-progressive-17x9', 17, 9, True, 0, True, 50),
    ('gray-restart-64x48', 64, 48, False, 0, False, 85),
    ('rgb420-restart-48x40', 48, 40, True, 2, False, 85),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {'generator': 'scripts/make_jpeg_golden.py', 'pillow': PIL.__version__, 'cases': []}
    for name, width, height, colour, subsampling, progressive, quality in CASES:
        image = picture(width, height, colour, seed=len(manifest['cases']) + 1)
        options = {'quality': quality, 'progressive': progressive, 'optimize': progressive}
        if colour:
            options['subsampling'] = subsampling
        if 'restart' in name:
            # Pillow 9.4 cannot write restart markers; OpenCV (python3-opencv, libjpeg-turbo too) can.
            import cv2
            array = np.asarray(image)
            ok, encoded = cv2.imencode('.jpg', array, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_RST_INTERVAL, 2])
            assert ok
            data = encoded.tobytes()
            assert b'\xff\xdd' in data, 'no DRI marker written'
        else:
            buffer = io.BytesIO()
            image.save(buffer, 'JPEG', **options)
            data = buffer.getvalue()
        with open(os.path.join(OUT, name + '.jpg'), 'wb') as f:
            f.write(data)
        gray = np.asarray(Image.open(io.BytesIO(data)).convert('L'))
        np.save(os.path.join(OUT, name + '.npy'), gray)
        manifest['cases'].append({'name': name, 'width': width, 'height': height, 'colour': colour,
                                  'subsampling': ['4:4:4', '4:2:2', '4:2:0'][subsampling] if colour else None,
                                  'progressive': progressive, 'quality': quality})
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()

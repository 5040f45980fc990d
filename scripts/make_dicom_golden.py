#!/usr/bin/python3
"""DICOM golden fixtures for test/codecs/dicom-golden.test.ts (run with Debian's /usr/bin/python3).

Oracle: pydicom 2.3 (+ python3-gdcm for compressed syntaxes) gives the stored values; the bits above
BitsStored are masked and sign-extended here (pydicom 2.3 does not clear them), colour goes to gray by
Pillow's luma rule after pydicom's YBR->RGB conversion, `modality` is pydicom's apply_modality_lut,
and `display` is the formula of docs/io.md ("DICOM values") written out below.

Writes test/golden/dicom/expected.json (one record per file and frame: shape, dtype, a SHA-256 of the
stored values as float64 LE, min/max/mean of each kind of values, and an 8x8 grid of sample values)
and, with --samples, the DICOMs made from two ChestX-ray8 PNGs under test/golden/dicom/samples/.
"""
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, convert_color_space

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, 'test', 'golden', 'dicom')
PYDICOM_FILES = os.path.join(os.path.dirname(pydicom.__file__), 'data', 'test_files')
LOSSY = {'1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.81', '1.2.840.10008.1.2.4.91'}
GRID = 8
# JPEGs whose header says RGB but whose data is YCbCr: gdcm warns "DICOM says: RGB but JPEG says: 3" and
# pydicom returns the YCbCr samples unconverted, so the oracle converts them (the picture is then right).
YCBCR_DESPITE_RGB = {'SC_rgb_jpeg_lossy_gdcm.dcm'}


def luma(rgb):
    r, g, b = (rgb[..., k].astype(np.float64) for k in range(3))
    return np.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536)


def stored_values(ds, frame, name=''):
    arr = ds.pixel_array
    frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
    spp = int(getattr(ds, 'SamplesPerPixel', 1))
    if frames > 1:
        arr = arr[frame]
    bits_stored = int(ds.BitsStored)
    high_bit = int(getattr(ds, 'HighBit', bits_stored - 1))
    signed = int(ds.PixelRepresentation) == 1
    raw = arr.astype(np.int64)
    if bits_stored < 32:
        shift = max(0, high_bit + 1 - bits_stored)
        raw = (raw & 0xFFFFFFFF) >> shift & ((1 << bits_stored) - 1)
        if signed:
            raw = np.where(raw >= 1 << (bits_stored - 1), raw - (1 << bits_stored), raw)
    if spp == 3:
        pi = 'YBR_FULL' if name in YCBCR_DESPITE_RGB else ds.PhotometricInterpretation
        if pi in ('YBR_FULL', 'YBR_FULL_422'):
            raw = convert_color_space(raw.astype(np.uint8), pi, 'RGB').astype(np.int64)
        raw = luma(raw).astype(np.int64)
    return raw


def lut_of(item, signed):
    desc = item.LUTDescriptor
    entries = desc[0] or 65536
    first = desc[1]
    if signed and first >= 32768:
        first -= 65536
    data = np.asarray(item.LUTData, dtype=np.float64)
    return entries, first, desc[2], data


def voi_display(modality, ds, spp, bits_stored):
    """The display formula of docs/io.md, in float64, rounded half up, MONOCHROME1 inverted."""
    signed = int(ds.PixelRepresentation) == 1
    x = modality.astype(np.float64)
    if 'VOILUTSequence' in ds and len(ds.VOILUTSequence) > 0:
        entries, first, bits, data = lut_of(ds.VOILUTSequence[0], signed)
        index = np.clip(np.trunc(x) - first, 0, entries - 1).astype(np.int64)
        y = data[index] * (255 / (2 ** bits - 1))
    elif 'WindowCenter' in ds and 'WindowWidth' in ds and _first(ds.WindowWidth) is not None:
        c = float(_first(ds.WindowCenter))
        w = float(_first(ds.WindowWidth))
        fn = str(getattr(ds, 'VOILUTFunction', 'LINEAR') or 'LINEAR').upper()
        if fn == 'LINEAR' and w >= 1:
            low, high = c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2
            y = np.where(x <= low, 0.0, np.where(x > high, 255.0, ((x - (c - 0.5)) / (w - 1) + 0.5) * 255))
        elif fn == 'LINEAR_EXACT' and w > 0:
            y = np.where(x <= c - w / 2, 0.0, np.where(x > c + w / 2, 255.0, ((x - c) / w + 0.5) * 255))
        elif fn == 'SIGMOID' and w > 0:
            y = 255 / (1 + np.exp(-4 * (x - c) / w))
        else:
            y = _minmax(x)
    elif spp == 3 and bits_stored <= 8:
        y = x
    else:
        y = _minmax(x)
    v = np.clip(np.floor(y + 0.5), 0, 255)
    if getattr(ds, 'PhotometricInterpretation', '') == 'MONOCHROME1':
        v = 255 - v
    return v.astype(np.int64)


def _first(value):
    if isinstance(value, (list, pydicom.multival.MultiValue)):
        return value[0] if len(value) > 0 else None
    return value


def _minmax(x):
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) * (255 / (hi - lo)) if hi > lo else np.zeros_like(x)


def grid_of(shape):
    h, w = shape
    rows = sorted(set(int(r) for r in np.linspace(0, h - 1, min(h, GRID)).astype(np.int64)))
    cols = sorted(set(int(c) for c in np.linspace(0, w - 1, min(w, GRID)).astype(np.int64)))
    return rows, cols


def stats(a):
    return {'min': float(a.min()), 'max': float(a.max()), 'mean': float(a.astype(np.float64).mean())}


def record(path, name, frame):
    ds = pydicom.dcmread(path)
    syntax = str(ds.file_meta.TransferSyntaxUID) if 'TransferSyntaxUID' in getattr(ds, 'file_meta', {}) else None
    spp = int(getattr(ds, 'SamplesPerPixel', 1))
    stored = stored_values(ds, frame, name)
    if spp == 1:
        modality = np.asarray(apply_modality_lut(stored, ds), dtype=np.float64)
    else:
        modality = stored.astype(np.float64)
    display = voi_display(modality, ds, spp, int(ds.BitsStored))
    rows, cols = grid_of(stored.shape)
    sub = np.ix_(rows, cols)
    return {
        'file': name,
        'frame': frame,
        'transferSyntaxUid': syntax,
        'lossy': syntax in LOSSY,
        'shape': list(stored.shape),
        'storedSha256': hashlib.sha256(stored.astype('<f8').tobytes()).hexdigest(),
        'displaySha256': hashlib.sha256(display.astype('<f8').tobytes()).hexdigest(),
        'stored': stats(stored),
        'modality': stats(modality),
        'display': stats(display),
        'gridRows': rows,
        'gridCols': cols,
        'storedGrid': stored[sub].tolist(),
        'modalityGrid': modality[sub].tolist(),
        'displayGrid': display[sub].tolist(),
    }


def records_for(folder, names, source):
    out = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            ds = pydicom.dcmread(path)
            if 'PixelData' not in ds:
                continue
            frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
            for frame in sorted({0, frames - 1}):
                rec = record(path, name, frame)
                rec['source'] = source
                out.append(rec)
        except Exception as error:  # pydicom or gdcm cannot decode it: no oracle, no record
            print(f'skip {name}: {type(error).__name__}: {error}'.splitlines()[0], file=sys.stderr)
    return out


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_samples(sample_dir):
    """DICOMs from two ChestX-ray8 PNGs, downscaled to 40x40, in every syntax xray-gpu decodes."""
    from PIL import Image
    folder = os.path.join(OUT, 'samples')
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    pngs = sorted(f for f in os.listdir(sample_dir) if f.endswith('.png'))[:2]
    with tempfile.TemporaryDirectory() as tmp:
        for k, png in enumerate(pngs):
            gray = np.asarray(Image.open(os.path.join(sample_dir, png)).convert('L').resize((40, 40), Image.BILINEAR))
            base = f'cxr{k}'
            variants = {}
            # 8-bit MONOCHROME2 with a window: the base for the 8-bit lossy syntaxes.
            variants['u8'] = _write(tmp, base + '_u8', gray.astype(np.uint8), 8, 8, False, 'MONOCHROME2',
                                    window=(127.0, 200.0))
            # 12 bits in 16, rescaled (CT-like), windowed; MONOCHROME1 inverts.
            v12 = (gray.astype(np.int64) * 16 + 8).astype(np.uint16)
            variants['u12'] = _write(tmp, base + '_u12', v12, 16, 12, False, 'MONOCHROME1', slope=0.5, intercept=-100,
                                     window=(900.0, 1600.0))
            # 16-bit unsigned, no window (min-max), sigmoid VOI on the other.
            v16 = (gray.astype(np.int64) * 257).astype(np.uint16)
            variants['u16'] = _write(tmp, base + '_u16', v16, 16, 16, False, 'MONOCHROME2')
            # Signed 16 (stored 12 bits) with HU-like values and a LINEAR_EXACT window.
            s12 = (gray.astype(np.int64) * 8 - 1024).astype(np.int16)
            variants['s12'] = _write(tmp, base + '_s12', s12, 16, 12, True, 'MONOCHROME2', slope=1.0, intercept=-1024,
                                     window=(-600.0, 1500.0), fn='LINEAR_EXACT')
            s16 = (gray.astype(np.int64) * 200 - 25000).astype(np.int16)
            variants['s16'] = _write(tmp, base + '_s16', s16, 16, 16, True, 'MONOCHROME2', window=(0.0, 40000.0), fn='SIGMOID')
            # Colour: RGB stored plane by plane (PlanarConfiguration 1), and YBR_FULL pixel by pixel.
            rgb = np.stack([gray, 255 - gray, gray // 2], axis=-1).astype(np.uint8)
            rgb_planar = _write(tmp, base + '_rgb-planar', rgb, 8, 8, False, 'RGB', planar=1)
            shutil.copy(rgb_planar, os.path.join(folder, f'{base}_rgb-planar_explicit-le.dcm'))
            ybr = convert_color_space(rgb, 'RGB', 'YBR_FULL')
            ybr_file = _write(tmp, base + '_ybr-full', ybr, 8, 8, False, 'YBR_FULL', planar=0)
            shutil.copy(ybr_file, os.path.join(folder, f'{base}_ybr-full_explicit-le.dcm'))
            _conv(ybr_file, os.path.join(folder, f'{base}_ybr-full_rle.dcm'), 'dcmcrle')
            for key, src in variants.items():
                shutil.copy(src, os.path.join(folder, f'{base}_{key}_explicit-le.dcm'))
                _conv(src, os.path.join(folder, f'{base}_{key}_implicit-le.dcm'), 'dcmconv', '+ti')
                _conv(src, os.path.join(folder, f'{base}_{key}_explicit-be.dcm'), 'dcmconv', '+tb')
                _conv(src, os.path.join(folder, f'{base}_{key}_rle.dcm'), 'dcmcrle')
                _conv(src, os.path.join(folder, f'{base}_{key}_jpeg-lossless-sv1.dcm'), 'dcmcjpeg', '+e1')
                _conv(src, os.path.join(folder, f'{base}_{key}_jpeg-lossless-57.dcm'), 'dcmcjpeg', '+el')
                _conv(src, os.path.join(folder, f'{base}_{key}_jpeg-ls.dcm'), 'dcmcjpls', '+el')
                _conv(src, os.path.join(folder, f'{base}_{key}_jpeg-ls-near.dcm'), 'dcmcjpls', '+en', '+md', '2')
                _conv(src, os.path.join(folder, f'{base}_{key}_j2k-lossless.dcm'), 'gdcmconv', '--j2k')
                _conv(src, os.path.join(folder, f'{base}_{key}_j2k-lossy.dcm'), 'gdcmconv', '--j2k', '--lossy', '-q', '40')
                if key == 'u8':
                    _conv(src, os.path.join(folder, f'{base}_{key}_jpeg-baseline.dcm'), 'dcmcjpeg', '+eb')
                    _conv(src, os.path.join(folder, f'{base}_{key}_deflated.dcm'), 'dcmconv', '+td')
                if key == 'u12':
                    _conv(src, os.path.join(folder, f'{base}_{key}_jpeg-extended.dcm'), 'dcmcjpeg', '+ee')
    return folder


def _conv(src, dst, tool, *options):
    try:
        run(tool, *options, src, dst)
    except subprocess.CalledProcessError as error:  # e.g. dcmcjpls refuses signed near-lossless
        print(f'skip {os.path.basename(dst)}: {tool} failed: {error.stderr.decode().strip().splitlines()[-1:]}', file=sys.stderr)


def _write(tmp, name, pixels, bits_allocated, bits_stored, signed, photometric, slope=None, intercept=None,
           window=None, fn=None, planar=None):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.1.1'  # Digital X-Ray Image Storage - For Presentation
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[name])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = generate_uid(entropy_srcs=['xray-gpu'])
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid(entropy_srcs=[name, 'study'])
    ds.SeriesInstanceUID = generate_uid(entropy_srcs=[name, 'series'])
    ds.PatientID = 'XRAYGPU-TEST'
    ds.PatientName = 'Test^Fixture'
    ds.Modality = 'DX'
    ds.ViewPosition = 'PA'
    ds.BodyPartExamined = 'CHEST'
    ds.PixelSpacing = [0.143 * 16, 0.143 * 16]
    ds.Rows, ds.Columns = pixels.shape[:2]
    ds.SamplesPerPixel = 1 if planar is None else 3
    if planar is not None:
        ds.PlanarConfiguration = planar
        if planar == 1:
            pixels = np.moveaxis(pixels, -1, 0)
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = bits_allocated
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if slope is not None:
        ds.RescaleSlope = slope
        ds.RescaleIntercept = intercept
    if window is not None:
        ds.WindowCenter, ds.WindowWidth = window
        if fn is not None:
            ds.VOILUTFunction = fn
    dtype = {(8, False): '<u1', (16, False): '<u2', (16, True): '<i2'}[(bits_allocated, signed)]
    ds.PixelData = np.ascontiguousarray(pixels.astype(dtype)).tobytes()
    path = os.path.join(tmp, name + '.dcm')
    ds.save_as(path, write_like_original=False)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    names = sorted(f for f in os.listdir(PYDICOM_FILES) if f.endswith('.dcm'))
    records = records_for(PYDICOM_FILES, names, 'pydicom')
    sample_dir = os.environ.get('XRAY_SAMPLES', os.path.join(REPO, '..', 'shared', 'data', 'chestxray8-sample'))
    if '--samples' in sys.argv:
        make_samples(sample_dir)
    folder = os.path.join(OUT, 'samples')
    if os.path.isdir(folder):
        records += records_for(folder, sorted(os.listdir(folder)), 'samples')
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'pydicom': pydicom.__version__, 'records': records}, f, separators=(',', ':'))
    print(f'{len(records)} records', file=sys.stderr)


if __name__ == '__main__':
    main()

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { float16Bits, float16Value, toFloat16Bits } from '../../src/pipeline/prepare/float16.js';

const golden = (name: string) => decodeNpy(readFileSync(path.join(import.meta.dirname, '../golden/prepare', name)), name);

describe('float64 -> float16 (round to nearest even, as NumPy astype(float16))', () => {
  it('matches NumPy bit for bit on ties, subnormals, overflow and normalised levels', () => {
    const input = golden('float16.input.npy').data;
    const expected = golden('float16.bits.npy').data;
    expect(input.length).toBeGreaterThan(1000);
    const got = toFloat16Bits(input);
    const mismatches = [];
    for (let i = 0; i < input.length; i++) if (got[i] !== expected[i]) mismatches.push({ value: input[i], got: got[i], numpy: expected[i] });
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('rounds ties to even rather than away from zero', () => {
    // 2049 lies halfway between 2048 (even significand) and 2050.
    expect(float16Value(float16Bits(2049))).toBe(2048);
    expect(float16Value(float16Bits(2051))).toBe(2052);
    expect(float16Bits(-0)).toBe(0x8000);
  });

  it('keeps NaN a NaN and overflows to infinity from 65520', () => {
    expect(Number.isNaN(float16Value(float16Bits(NaN)))).toBe(true);
    expect(float16Bits(65519.99)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00);
    expect(float16Bits(-Infinity)).toBe(0xfc00);
  });
});

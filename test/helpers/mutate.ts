/**
 * A seeded mutator for fuzzing file readers: generic byte mutations (bit flips, interesting values,
 * truncation, insertion, deletion, duplicated spans, trailing garbage), plus, for formats that guard
 * their parts with checksums, an optional `repair` that makes a mutated file get past the checksum
 * into the code behind it (for PNG: recompute each chunk's CRC).
 */
import { crc32 } from 'node:zlib';
import { mulberry32 } from '../../src/synthetic/prng.js';

export interface FuzzSeed {
  name: string;
  bytes: Uint8Array;
  /** Fix the format's own checksums after a mutation (applied to about half the cases). */
  repair?: (bytes: Uint8Array) => Uint8Array;
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x10, 0x40];
const INTERESTING_32 = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 16384, 65535, 65536];

/** `count` mutants of `seeds`, round robin, reproducible from `seed`. */
export function* mutants(seeds: readonly FuzzSeed[], count: number, seed: number): Generator<{ seed: FuzzSeed; bytes: Uint8Array; steps: string[] }> {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  for (let i = 0; i < count; i++) {
    const from = seeds[i % seeds.length];
    let bytes: Uint8Array = Uint8Array.from(from.bytes);
    const steps: string[] = [];
    const rounds = 1 + int(3);
    for (let r = 0; r < rounds; r++) {
      const at = int(bytes.length);
      switch (int(8)) {
        case 0: {
          bytes[at] ^= 1 << int(8);
          steps.push(`flip@${at}`);
          break;
        }
        case 1: {
          bytes[at] = INTERESTING[int(INTERESTING.length)];
          steps.push(`byte@${at}`);
          break;
        }
        case 2: {
          // A 32-bit big-endian field (PNG lengths, sizes) set to an edge value; most hits land in headers.
          const position = int(Math.min(bytes.length - 4, 64));
          if (position >= 0) new DataView(bytes.buffer, bytes.byteOffset).setUint32(position, INTERESTING_32[int(INTERESTING_32.length)]);
          steps.push(`u32@${position}`);
          break;
        }
        case 3: {
          bytes = bytes.slice(0, at);
          steps.push(`truncate@${at}`);
          break;
        }
        case 4: {
          const length = 1 + int(16);
          bytes = Uint8Array.from([...bytes.subarray(0, at), ...Array.from({ length }, () => int(256)), ...bytes.subarray(at)]);
          steps.push(`insert${length}@${at}`);
          break;
        }
        case 5: {
          const length = 1 + int(32);
          bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + length)]);
          steps.push(`delete${length}@${at}`);
          break;
        }
        case 6: {
          const length = 1 + int(64);
          const to = int(bytes.length);
          bytes = Uint8Array.from([...bytes.subarray(0, to), ...bytes.subarray(at, at + length), ...bytes.subarray(to)]);
          steps.push(`dup${length}@${at}->${to}`);
          break;
        }
        default: {
          const length = 1 + int(64);
          bytes = Uint8Array.from([...bytes, ...Array.from({ length }, () => int(256))]);
          steps.push(`append${length}`);
        }
      }
    }
    if (from.repair && random() < 0.5) {
      bytes = from.repair(bytes);
      steps.push('repair');
    }
    yield { seed: from, bytes, steps };
  }
}

/** Recomputes the CRC of every whole chunk of a PNG (PNG spec 5.3), leaving the rest as it is. */
export function repairPngCrcs(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  let offset = 8;
  while (offset + 12 <= out.length) {
    const length = view.getUint32(offset);
    const end = offset + 8 + length;
    if (end + 4 > out.length) break;
    view.setUint32(end, crc32(out.subarray(offset + 4, end)));
    offset = end + 4;
  }
  return out;
}

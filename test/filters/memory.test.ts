/** The working-memory estimate and the budget check built on it. */
import { describe, expect, it } from 'vitest';
import { MemoryBudgetError, bytesPerPixelFor, memoryBudgetCheck } from '../../src/filters/memory.js';
import { parseByteSize } from '../../src/cli/limit-options.js';

describe('memory estimate', () => {
  it('one call costs its costliest op plus each further output', () => {
    expect(bytesPerPixelFor([{ op: 'gaussian' }])).toBe(31);
    expect(bytesPerPixelFor([{ op: 'sobel-magnitude' }])).toBe(62);
    expect(bytesPerPixelFor([{ op: 'gaussian' }, { op: 'sobel-magnitude' }, { op: 'mask' }])).toBe(62 + 2 * 12);
  });

  it('an op the table does not know counts as the costliest known one', () => {
    const unknown = { op: 'resize' } as unknown as { op: 'gaussian' };
    // tutorial-canny, 71 B/px, is the costliest measured op.
    expect(bytesPerPixelFor([unknown])).toBe(71);
  });

  it('refuses above the budget with the size, the estimate and the flag; accepts at it', () => {
    const check = memoryBudgetCheck('filter --op gaussian', 31, 31 * 1000 * 1000);
    expect(() => check(1000, 1000)).not.toThrow();
    expect(() => check(1000, 1001)).toThrow(MemoryBudgetError);
    expect(() => check(16384, 16384)).toThrow(
      '16384x16384 image: filter --op gaussian needs about 7.8 GiB of working memory, over the 30 MiB budget; raise --max-memory if this machine has the memory, or use a smaller image',
    );
  });
});

describe('--max-memory / --max-file-size sizes', () => {
  it('take bytes with binary K, M, G, T suffixes', () => {
    expect(parseByteSize('1000')).toBe(1000);
    expect(parseByteSize('4G')).toBe(4 * 2 ** 30);
    expect(parseByteSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('512m')).toBe(512 * 2 ** 20);
    expect(parseByteSize('64KB')).toBe(64 * 1024);
  });

  it('refuse anything else, saying what is accepted', () => {
    for (const bad of ['', '0', '-1G', '12X', 'G', '1e9', 'lots']) {
      expect(() => parseByteSize(bad), bad).toThrow('expected a size in bytes > 0, optionally with a K, M, G or T suffix (e.g. 4G)');
    }
  });
});

import { defineConfig } from 'vitest/config';

// GPU tests share one Dawn instance per file; the forked pool keeps Dawn out of worker threads,
// where creating adapters has crashed (see ../shared/GPU.md).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

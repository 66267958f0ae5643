import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test time waits on PostgreSQL, sockets and Chromium: at least two files run at once
    // even on a two-core machine (Vitest's default there would be one).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['packages/storage/src/testing/global-setup.ts'],
    setupFiles: ['vitest.setup.ts'],
  },
});

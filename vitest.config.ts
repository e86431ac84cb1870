import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: forks keep native addons (sharp, better-sqlite3) isolated per file.
    pool: 'forks',
    maxWorkers: 2,
  },
});

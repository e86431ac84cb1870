import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: CI shares two cores between test files that each run ffmpeg, Chromium and child processes.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Two cores: forks keep native addons (sharp, better-sqlite3) isolated per file.
    pool: 'forks',
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

// Several suites spawn real hephd processes (about a second each to start
// under tsx), so the per-test budget is generous.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

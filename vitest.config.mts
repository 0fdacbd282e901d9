import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, in-process, fast) and `integration` (real sockets, real proxy processes).
// File naming decides which: *.int.test.ts is integration, every other *.test.ts(x) is unit.
const common = ['src-main', 'src-shared', 'src-renderer', 'e2e', 'scripts', 'bench'].map((d) => `${d}/**/`);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: common.flatMap((d) => [`${d}*.test.ts`, `${d}*.test.tsx`]),
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: common.map((d) => `${d}*.int.test.ts`),
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Proxy processes and servers are real; keep files from fighting over the 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});

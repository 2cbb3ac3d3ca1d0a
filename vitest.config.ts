import { defineConfig } from 'vitest/config';

const ignored = ['**/node_modules/**', '**/.next/**', 'e2e/**', '**/generated/**'];

/**
 * Two projects: `unit` (fast, no I/O beyond the process) and `integration` (`*.int.test.ts`:
 * real Postgres, real processes). `npm test` runs both; `npx vitest run --project unit` runs one.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...ignored, '**/*.int.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ignored,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration files start servers and databases; two at a time suits a 2-core machine.
          maxWorkers: 2,
        },
      },
    ],
  },
});

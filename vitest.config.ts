import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects, every file in exactly one:
 * - `database`: the suites that open a database (integration tests, and the ledger's, which sit
 *   next to its code). CI runs them a second time on PostgreSQL (`--project database`).
 * - `unit`: the unit tests of lib/ and app/, which never touch a database.
 */
const databaseSuites = [
  'db/**/*.test.ts',
  'test/**/*.test.ts',
  'test/**/*.test.tsx',
  'lib/ledger/**/*.test.ts',
  'lib/api/actions/**/*.test.ts',
];

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./', import.meta.url)),
      // `server-only` throws outside React Server Components; tests run on the server anyway.
      'server-only': fileURLToPath(new URL('./test/support/server-only-stub.ts', import.meta.url)),
    },
  },
  test: {
    environment: 'node',
    // Vitest's default leaves a core idle (one worker on two cores); a file spends much of its
    // time waiting on a database server, an SMTP server or a socket, so every core gets a worker.
    maxWorkers: Math.max(2, os.availableParallelism()),
    // Worker threads start and import faster than forked processes: about a fifth off the database
    // project on two cores. Nothing here needs a process of its own (no chdir, no process-wide state).
    pool: 'threads',
    // The JSON log would bury the test report; tests that check logging capture the logger itself.
    env: { KEYDESK_LOG_LEVEL: process.env.KEYDESK_LOG_LEVEL ?? 'silent' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['lib/**/*.test.ts', 'app/**/*.test.ts'], exclude: [...configDefaults.exclude, ...databaseSuites] },
      },
      { extends: true, test: { name: 'database', include: databaseSuites } },
    ],
  },
});

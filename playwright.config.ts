import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { prepareRun, serverLogOf } from '@/e2e/support/run-environment';

/**
 * E2E against the built app, started the way `npm start` starts it (after `next build`).
 * Every run gets its own database: a fresh PGlite folder, or — with DATABASE_URL pointing at a
 * local PostgreSQL server — a database created, migrated and seeded for the run and dropped after.
 */
const run = prepareRun();
// e2e/run.ts runs halves of the suite side by side: each keeps its own results and report.
const outputName = process.env.KEYDESK_E2E_OUTPUT;

// Debian's Chromium here; Playwright's own browser where that is what is installed. Its headless
// shell first: the build Playwright itself runs headless tests in, lighter than the full browser
// (about a tenth off the browser suite on two cores); the full browser where only it is installed.
const chromiumPath =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ?? ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((file) => fs.existsSync(file));
const executablePath = chromiumPath && fs.existsSync(chromiumPath) ? chromiumPath : undefined;

const serverLifecycle = {
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: 'ignore',
  stderr: 'pipe',
  // server.ts closes the database on SIGTERM, so a PostgreSQL run leaves no connections behind.
  gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
} as const;

export default defineConfig({
  testDir: './e2e',
  globalTeardown: './e2e/support/log-check.ts',
  // One app server and shared demo data: tests run one at a time, in file order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Generous because an authenticator code may have to wait for the next 30-second window.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  outputDir: outputName ? `test-results/${outputName}` : 'test-results',
  reporter: process.env.CI
    ? [['list'], ['html', { open: 'never', outputFolder: outputName ? `playwright-report/${outputName}` : 'playwright-report' }]]
    : [['list']],
  use: {
    baseURL: run.baseURL,
    trace: process.env.CI ? 'on-first-retry' : 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      // `npm run serve` is `NODE_ENV=production tsx server.ts`; the tsx CLI runs the app in a child
      // process, so this loads the same tsx loader into one node process that `exec` puts in the
      // shell's place: a single PID for Playwright to stop.
      // Its log (JSON lines on stdout) goes to a file, which e2e/support/log-check.ts searches for
      // every code and secret the run used.
      command: `exec node --import tsx server.ts >> "${serverLogOf(run)}"`,
      url: `${run.baseURL}/sign-in`,
      env: run.serverEnv,
      ...serverLifecycle,
    },
    // The same app delivering SMS codes to a gateway (e2e/real-delivery.spec.ts): on PGlite, so
    // the PostgreSQL run, which skips that spec, does not start it; nor does a half of the suite
    // without that spec (e2e/run.ts).
    ...(run.serverEnv.DATABASE_URL || process.env.KEYDESK_E2E_WITHOUT_DELIVERY
      ? []
      : [
          {
            command: 'exec node --import tsx server.ts',
            url: `${run.delivery.baseURL}/sign-in`,
            env: run.delivery.serverEnv,
            ...serverLifecycle,
          },
        ]),
  ],
});

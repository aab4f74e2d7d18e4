import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '@/db/client';
import { seedDemo } from '@/lib/identity/demo-accounts';
import { createPgCluster, postgresBinaries, type PgCluster } from '@/test/support/pg-cluster';
import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';
import { call, startAppNode, stopProcesses } from './support/app-node';
import { currentRun } from './support/run-environment';

/**
 * The console while its PostgreSQL is really stopped and started again: a signed-in person gets a
 * page that says so within seconds (not a spinner for as long as the outage lasts, not a stack
 * trace), and the console is back as soon as the database is. An app process of its own on a
 * throwaway cluster (test/support/pg-cluster.ts), so the run's shared database is never stopped.
 * In the PostgreSQL browser suite of .ci/run, which has PostgreSQL's server binaries.
 */
const run = currentRun()!;
const bin = postgresBinaries();
const NODE = run.port + 15;
const nodeUrl = `http://127.0.0.1:${NODE}`;
// The database deadline of a PostgreSQL process, and a second for the browser.
const WITHIN_MS = 3000;

test.skip(!run.serverEnv.DATABASE_URL || !bin, 'needs a PostgreSQL run and PostgreSQL server binaries: .ci/run provides both');
test.use({ baseURL: nodeUrl });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-outage-'));
let cluster: PgCluster;
let node: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await createPgCluster(bin!);
  process.env.KEYDESK_ENCRYPTION_KEY = run.serverEnv.KEYDESK_ENCRYPTION_KEY;
  const setup = openDatabase({ url: cluster.url });
  await setup.migrate();
  await seedDemo(setup.db);
  await setup.close();
  node = await startAppNode(
    NODE,
    { ...run.serverEnv, DATABASE_URL: cluster.url, NEXTAUTH_URL: nodeUrl, KEYDESK_DATA_DIR: path.join(dir, 'data') },
    dir,
  );
});

test.afterAll(async () => {
  await stopProcesses(node ? [node] : []);
  await cluster?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const profileHeading = (page: import('@playwright/test').Page) => page.getByRole('heading', { name: 'Profile', level: 1 });
const unavailable = (page: import('@playwright/test').Page) => page.getByRole('heading', { name: 'Keydesk is briefly unavailable' });

const ready = async () => (await call(`${nodeUrl}/api/ready`)).status;

test('with the database stopped a page says so within seconds and Try again brings the console back once it returns', async ({
  page,
  signIn,
  noPageErrors,
}) => {
  // In the first second, before this process notices, the page's render fails inside Next and the
  // browser's React reports that (production builds say only "Minified React error #441").
  noPageErrors.allow(/React error #441/);
  await signIn(users.member);
  await page.goto('/settings/profile');
  await expect(profileHeading(page)).toBeVisible();

  await cluster.stop();
  const started = Date.now();
  await page.goto('/settings/profile');
  await expect(unavailable(page)).toBeVisible({ timeout: WITHIN_MS });
  expect(Date.now() - started, 'time to the outage page').toBeLessThanOrEqual(WITHIN_MS);
  await expect(page.getByText('Nothing you submitted is lost')).toBeVisible();
  await expect(page.locator('body')).not.toContainText(/ECONNREFUSED|postgres|stack/i);

  // A load balancer hears it from /api/ready; once the process knows (its notifications' heartbeat
  // is lost, within a second), pages get a 503 of their own without rendering.
  expect(await ready()).toBe(503);
  await expect.poll(async () => (await page.goto('/settings/profile'))?.status(), { timeout: WITHIN_MS }).toBe(503);
  await expect(unavailable(page)).toBeVisible();

  await cluster.start();
  // Back once the process has reconnected and its heartbeat says so: seconds, or more while the
  // other half of the browser suite shares the two cores (e2e/run.ts).
  await expect(async () => {
    await page.getByText('Try again', { exact: true }).click();
    await expect(profileHeading(page)).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 30_000 });
  await expect(unavailable(page)).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the outage page is plain HTML that reloads itself until the console is back', async ({ page, signIn }) => {
    await signIn(users.member);
    await cluster.stop();
    try {
      const started = Date.now();
      let response = await page.goto('/settings/profile');
      while (response?.status() !== 503 && Date.now() - started < WITHIN_MS) response = await page.goto('/settings/profile');
      expect(response?.status(), 'a 503 page within seconds').toBe(503);
      expect(response?.headers()['retry-after']).toBe('5');
      await expect(unavailable(page)).toBeVisible();
      await expect(page.getByRole('link', { name: 'Back to settings' })).toBeVisible();
    } finally {
      await cluster.start();
    }
    // No click: the page's own refresh brings the profile back.
    await expect(profileHeading(page)).toBeVisible({ timeout: 30_000 });
  });
});

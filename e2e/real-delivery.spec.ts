import { createServer, type Server } from 'node:http';
import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';
import { currentRun } from './support/run-environment';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('the delivering server runs on a PGlite folder of its own (playwright.config.ts)');

/**
 * The app as deployed with an SMS gateway (KEYDESK_SMS_GATEWAY_URL): codes reach the person's
 * phone through the gateway, and the demo outbox is gone. The gateway is this test's HTTP server.
 */
const delivery = currentRun()!.delivery;
test.use({ baseURL: delivery.baseURL });

interface Sms {
  authorization: string | undefined;
  to: string;
  body: string;
}

let gateway: Server;
const received: Sms[] = [];
let arrived: () => void = () => {};

test.beforeAll(async () => {
  gateway = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const { to, body } = JSON.parse(raw) as { to: string; body: string };
      received.push({ authorization: req.headers.authorization, to, body });
      arrived();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"queued"}');
    });
  });
  await new Promise<void>((resolve) => gateway.listen(delivery.gatewayPort, '127.0.0.1', resolve));
});
test.afterAll(async () => new Promise<void>((resolve) => gateway.close(() => resolve())));

function nextSms(timeoutMs = 15_000): Promise<Sms> {
  const already = received.shift();
  if (already) return Promise.resolve(already);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway received no SMS within ${timeoutMs / 1000} s`)), timeoutMs);
    arrived = () => {
      clearTimeout(timer);
      resolve(received.shift()!);
    };
  });
}

test('with an SMS gateway configured, the sign-in code reaches the phone and there is no outbox', async ({ page, signInPage }) => {
  await signInPage.goto();
  await signInPage.submitPassword(users.smsOwner.email, users.smsOwner.password);
  await expect(page.getByText(/We sent a 6-digit code by SMS to/)).toBeVisible();

  const sms = await nextSms();
  expect(sms.authorization).toBe(`Bearer ${delivery.gatewayToken}`);
  expect(sms.to).toBe('+15550100200'); // the demo phone of sms-owner (db/seed.ts)
  const code = /^(\d{6}) is your Keydesk sign-in code/.exec(sms.body)?.[1];
  expect(code, sms.body).toBeDefined();

  await signInPage.submitCode(code!);
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(page.getByRole('link', { name: 'API docs' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Outbox' })).toHaveCount(0);
  expect((await page.goto('/dev/outbox'))?.status()).toBe(404);
});

test('past the hourly cap no code is sent, and the page says so and until when', async ({ page, signInPage }) => {
  // The delivery server caps codes at 2 an hour (e2e/support/run-environment.ts); the test above sent one.
  await signInPage.goto();
  await signInPage.submitPassword(users.smsOwner.email, users.smsOwner.password);
  await expect(page.getByText(/We sent a 6-digit code by SMS to/)).toBeVisible();
  await nextSms();

  await page.context().clearCookies();
  await signInPage.goto();
  await signInPage.submitPassword(users.smsOwner.email, users.smsOwner.password);
  const notice = page.getByRole('alert').filter({ hasText: 'No new code' });
  // The time carries its date when it falls on another day (a run just before midnight UTC).
  await expect(notice).toContainText(
    /No new code was sent: you have reached the limit of codes we send in an hour\. You can ask for a new one at (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\./,
  );
  await expect(page.getByText(/We sent a 6-digit code/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Resend' })).toHaveCount(0);
  await expect(page.getByText(/You can ask for a new code in \d+:\d\d/)).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath('held-back-code.png'), fullPage: true });
  await expect(nextSms(3_000)).rejects.toThrow(/no SMS/);
});

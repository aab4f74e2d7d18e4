import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, type Fixtures } from './fixtures/test';
import { RotateSecretFlow, restStatus, wsAuth } from './fixtures/rotation-pages';
import { uniqueKeyName, users } from './fixtures/users';

/**
 * Rotate a key's secret on its page with a 1 h grace, then use both secrets from outside, as a
 * bot would: over REST (HMAC-signed with Node's crypto) and on the WebSocket.
 */

type Steps = Pick<Fixtures, 'keysPage' | 'smsOwnerKeys' | 'outbox'> & { page: Page };

/** axe finds nothing on the step shown now (WCAG 2.2 AA): these steps exist once, so every-page cannot visit them. */
async function axeClean(page: Page): Promise<void> {
  // After a server action re-renders the page, its <title> lands a moment after the content.
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function rotateWithOneHourGrace(name: string, s: Steps, { axe }: { axe: boolean }) {
  const { page, keysPage, smsOwnerKeys, outbox } = s;
  await keysPage.goto();
  const { apiKey, secret: oldSecret } = await smsOwnerKeys.create(name, [], { activateNow: true });
  await keysPage.detailLink(name).click();
  const flow = new RotateSecretFlow(page, name);
  await flow.pickGrace('1 hour');
  if (axe) await axeClean(page);
  await flow.confirmWithSms(await outbox.latestCode('keyRotation', 'SMS'));
  const newSecret = await flow.readNewSecret();
  expect(newSecret).not.toBe(oldSecret);
  await expect(flow.revealDialog).toContainText(/The previous secret keeps working until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  const revealUrl = page.url();
  if (axe) await axeClean(page);

  // Shown once: the same page later shows the API key, never the secret.
  await page.goto(revealUrl);
  await expect(flow.revealDialog).toContainText('The new API Secret was shown once and cannot be shown again.');
  await expect(flow.revealDialog).not.toContainText(newSecret);
  await flow.revealDialog.getByRole('link', { name: 'Close', exact: true }).click();
  await expect(flow.previousSecret).toContainText(/the previous secret is valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  return { apiKey, oldSecret, newSecret };
}

async function bothSecretsWork(baseURL: string, request: Page['request'], apiKey: string, oldSecret: string, newSecret: string) {
  expect(await restStatus(request, apiKey, oldSecret)).toBe(200);
  expect(await restStatus(request, apiKey, newSecret)).toBe(200);
  expect(await restStatus(request, apiKey, 'not-the-secret')).toBe(401);
  expect(await wsAuth(baseURL, apiKey, oldSecret)).toMatchObject({ data: { ok: 'ok' } });
  expect(await wsAuth(baseURL, apiKey, newSecret)).toMatchObject({ data: { ok: 'ok' } });
}

test('rotate with a 1 h grace on the key page: the new secret shows once, both secrets work over REST and WebSocket', async ({
  baseURL,
  signIn,
  page,
  keysPage,
  smsOwnerKeys,
  outbox,
}) => {
  await signIn(users.smsOwner, { reuseSession: true });
  const steps = { page, keysPage, smsOwnerKeys, outbox };
  const { apiKey, oldSecret, newSecret } = await rotateWithOneHourGrace(uniqueKeyName('Rotated'), steps, { axe: true });
  await bothSecretsWork(baseURL!, page.request, apiKey, oldSecret, newSecret);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same rotation works as plain HTML forms', async ({ baseURL, signIn, page, keysPage, smsOwnerKeys, outbox }) => {
    await signIn(users.smsOwner, { reuseSession: true });
    const steps = { page, keysPage, smsOwnerKeys, outbox };
    // axe runs in the page, which needs JavaScript: checked in the test above.
    const { apiKey, oldSecret, newSecret } = await rotateWithOneHourGrace(uniqueKeyName('No-JS rotated'), steps, { axe: false });
    await bothSecretsWork(baseURL!, page.request, apiKey, oldSecret, newSecret);
  });
});

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

/** WCAG 2.1 A/AA checks; serious and critical violations fail the test, with what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('sign-in, key list and every dialog of the create flow have no serious accessibility violations', async ({
  page,
  signIn,
  signInPage,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  outbox,
}) => {
  const name = uniqueKeyName('Accessible key');
  await signInPage.goto();
  await expect(signInPage.heading).toBeVisible();
  expect(await seriousViolations(page), 'sign-in page').toEqual([]);

  await signIn(users.smsOwner);
  await keysPage.goto();
  expect(await seriousViolations(page), 'key list (maybe still empty)').toEqual([]);

  await keysPage.newKey.click();
  await expect(newKeyDialog.dialog).toBeVisible();
  expect(await seriousViolations(page), 'new key dialog').toEqual([]);

  await newKeyDialog.fill({ name, whitelist: '10.0.0.1, not-an-address' });
  await newKeyDialog.create.click();
  await expect(newKeyDialog.whitelist).toHaveAccessibleDescription(/'not-an-address' is not a valid address or range/);
  expect(await seriousViolations(page), 'new key dialog with a field error').toEqual([]);

  await newKeyDialog.whitelist.fill('');
  await newKeyDialog.create.click();
  await expect(confirmDialog.smsCode).toBeVisible();
  await expect(confirmDialog.expiry).toHaveText(/ in /);
  expect(await seriousViolations(page), 'confirm dialog').toEqual([]);

  await confirmDialog.submit(confirmDialog.smsCode, await outbox.latestCode('keyCreation', 'SMS'));
  await expect(secretDialog.apiSecret).toBeVisible();
  expect(await seriousViolations(page), 'secret dialog').toEqual([]);

  await secretDialog.saved.check();
  await secretDialog.activateLater.click();
  await expect(keysPage.status(name)).toHaveText('Inactive');
  expect(await seriousViolations(page), 'key list with keys').toEqual([]);
});

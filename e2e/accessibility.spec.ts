import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('axe and the keyboard do not depend on the database');

/** WCAG 2.1 A/AA checks; any violation, whatever its impact, fails the test, with what and where. */
async function axeViolations(page: Page): Promise<string[]> {
  // After a client-side navigation the new <title> lands a moment after the content.
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('sign-in, key list and every dialog of the create flow have no accessibility violations', async ({
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
  expect(await axeViolations(page), 'sign-in page').toEqual([]);

  await signIn(users.smsOwner);
  await keysPage.goto();
  expect(await axeViolations(page), 'key list (maybe still empty)').toEqual([]);

  await keysPage.newKey.click();
  await expect(newKeyDialog.dialog).toBeVisible();
  expect(await axeViolations(page), 'new key dialog').toEqual([]);

  await newKeyDialog.fill({ name, whitelist: '10.0.0.1, not-an-address' });
  await newKeyDialog.create.click();
  await expect(newKeyDialog.whitelist).toHaveAccessibleDescription(/'not-an-address' is not a valid address or range/);
  expect(await axeViolations(page), 'new key dialog with a field error').toEqual([]);

  await newKeyDialog.whitelist.fill('');
  await newKeyDialog.create.click();
  await expect(confirmDialog.smsCode).toBeVisible();
  await expect(confirmDialog.expiry).toHaveText(/ in /);
  expect(await axeViolations(page), 'confirm dialog').toEqual([]);

  await confirmDialog.submit(confirmDialog.smsCode, await outbox.latestCode('keyCreation', 'SMS'));
  await expect(secretDialog.apiSecret).toBeVisible();
  expect(await axeViolations(page), 'secret dialog').toEqual([]);

  await secretDialog.saved.check();
  await secretDialog.activateLater.click();
  await expect(keysPage.status(name)).toHaveText('Inactive');
  expect(await axeViolations(page), 'key list with keys').toEqual([]);
});

test('the first Tab reaches "Skip to main content", which takes the keyboard past the header and the menus', async ({ page, signIn }) => {
  await signIn(users.member, { reuseSession: true });
  await page.goto('/settings/security');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main')?.id), 'the next stop is in the page, not the menus').toBe(
    'main',
  );
});

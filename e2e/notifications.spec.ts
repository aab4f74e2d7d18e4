import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';

/**
 * Settings › Notifications on a phone: key reminders off and on again, and a second address for
 * key emails confirmed with the code sent to it (read at /dev/outbox). After each test, passed or
 * not, the owner's settings are put back, so a retry and the rest of the suite start from them.
 */

async function expectAxeClean(page: Page) {
  // After a server action re-renders the page, its <title> lands a moment after the content.
  await expect(page).toHaveTitle(/\S/);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.use({ viewport: { width: 390, height: 844 } });

/** Reminders on and no second address, whatever a failed test left behind (a passing one ends so). */
test.afterEach(async ({ page, signIn }) => {
  await signIn(users.owner, { reuseSession: true });
  await page.goto('/settings/notifications');
  const remove = page.getByRole('button', { name: 'Remove' });
  if (await remove.isVisible()) {
    await remove.click();
    await expect(page.getByText('Second address removed.')).toBeVisible();
  }
  const on = page.getByRole('radio', { name: /^On/ });
  if (!(await on.isChecked())) {
    await on.check();
    await page.getByRole('button', { name: 'Save reminders' }).click();
  }
  await expect(page.getByRole('heading', { name: 'Key reminders On' })).toBeVisible();
});

test('reminders off and on; a second address confirmed by its code, then removed', async ({ page, signIn, outbox }) => {
  await signIn(users.owner, { reuseSession: true });
  await page.goto('/settings/profile');
  await page.getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Security emails Always on' })).toBeVisible();

  const off = page.getByRole('radio', { name: /^Off/ });
  await off.check();
  await page.getByRole('button', { name: 'Save reminders' }).click();
  await expect(page.getByText('Your reminder choice is saved.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Key reminders Off' })).toBeVisible();
  await expect(off).toBeChecked();

  const address = `ops-${Date.now().toString(36)}@atlas.test`;
  await page.getByLabel('Second address').fill(address);
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText(`We sent a 6-digit code to ${address}.`)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('notifications-code.png'), fullPage: true });
  await expectAxeClean(page);

  await page.getByLabel('Code from that address').fill(await outbox.latestCode('notificationEmail', 'Email'));
  await page.getByRole('button', { name: 'Confirm address' }).click();
  await expect(page.getByText('Second address confirmed: it now gets your API key emails too.')).toBeVisible();
  await expect(page.getByText(`key changes also to ${address}`)).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: test.info().outputPath('notifications-confirmed-dark.png'), fullPage: true });
  await expectAxeClean(page);

  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('Second address removed.')).toBeVisible();
  await expect(page.getByText(`key changes also to ${address}`)).toBeHidden();
  await page.getByRole('radio', { name: /^On/ }).check();
  await page.getByRole('button', { name: 'Save reminders' }).click();
  await expect(page.getByRole('heading', { name: 'Key reminders On' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('plain form posts: the choice is saved, and the own address is a field error', async ({ page, signIn }) => {
    await signIn(users.owner, { reuseSession: true });
    await page.goto('/settings/notifications');
    await page.getByRole('radio', { name: /^Off/ }).check();
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await expect(page.getByRole('heading', { name: 'Key reminders Off' })).toBeVisible();

    await page.getByLabel('Second address').fill(users.owner.email);
    await page.getByRole('button', { name: 'Send code' }).click();
    const field = page.getByLabel('Second address');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(/This is your sign-in address: key emails already go to it\./);
    await expect(field).toHaveValue(users.owner.email);

    await page.getByRole('radio', { name: /^On/ }).check();
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await expect(page.getByRole('heading', { name: 'Key reminders On' })).toBeVisible();
  });
});

import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('the keyboard and the phone layout do not depend on the database; the same flow with a mouse runs on PostgreSQL');

/** Presses Tab until `target` has the focus, as someone at a keyboard moves through the page. */
async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Not reached with ${limit} presses of Tab: ${target}`);
}

test.use({ viewport: { width: 390, height: 844 } });

test('on a phone, with the keyboard only: create a key, confirm it, activate it, and use its row menu', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  outbox,
}) => {
  const name = uniqueKeyName('Keyboard');
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.goto();

  await tabTo(page, keysPage.newKey);
  await page.keyboard.press('Enter');
  await expect(newKeyDialog.name).toBeFocused();
  await page.keyboard.type(name);
  await tabTo(page, newKeyDialog.permission('Trade'));
  await page.keyboard.press('Space');
  await expect(newKeyDialog.permission('Trade')).toBeChecked();
  await tabTo(page, newKeyDialog.create);
  await page.keyboard.press('Enter');

  await expect(confirmDialog.smsCode).toBeFocused();
  await page.keyboard.type(await outbox.latestCode('keyCreation', 'SMS'));
  await page.keyboard.press('Enter');

  await expect(secretDialog.apiSecret).toBeVisible();
  await tabTo(page, secretDialog.saved);
  await page.keyboard.press('Space');
  await tabTo(page, secretDialog.activate);
  await page.keyboard.press('Enter');

  await expect(activateDialog.code).toBeFocused();
  await page.keyboard.type(await outbox.latestCode('keyActivation', 'Email'));
  await page.keyboard.press('Enter');
  await expect(keysPage.notice('The API key is active.')).toBeVisible();
  await expect(keysPage.status(name)).toHaveText('Active');

  // The row menu: Enter opens it, its entries name the key, Escape closes it onto its button.
  const menu = keysPage.actionsMenu(name);
  await tabTo(page, menu);
  await expect(menu).toHaveAccessibleName(`Actions for ${name}`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(keysPage.actionLink(name, 'Details')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(keysPage.actionLink(name, 'Details')).toBeHidden();
  await expect(menu).toBeFocused();

  // A card per key: nothing on the page scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
});

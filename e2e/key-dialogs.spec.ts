import type { Locator } from '@playwright/test';
import { ConfirmKeyActionDialog, KeyChangeCodeDialog } from './fixtures/key-lifecycle-pages';
import { expect, test } from './fixtures/test';
import { nextTotpCode } from './fixtures/totp';
import { totpSecretOf, uniqueKeyName, users } from './fixtures/users';

/** The button's colour at rest (the pointer moved off it first: hovering darkens it). */
async function background(button: Locator): Promise<string> {
  await button.page().mouse.move(0, 0);
  return button.evaluate((el) => getComputedStyle(el).backgroundColor);
}

test('every code step has Cancel, the secret step lists what the key may do, and deleting is red at both steps', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  editDialog,
}) => {
  const name = uniqueKeyName('Dialogs');
  await signIn(users.owner, { reuseSession: true });
  await keysPage.goto();

  await test.step('creation: Cancel beside Confirm; a wrong code’s error goes once another is typed', async () => {
    await keysPage.newKey.click();
    await newKeyDialog.fill({ name, permissions: ['Trade', 'Funds External'], whitelist: '203.0.113.7, 198.51.100.0/24' });
    await newKeyDialog.create.click();
    await expect(confirmDialog.cancel).toBeVisible();
    await expect(confirmDialog.confirm).toBeVisible();
    await confirmDialog.submit(confirmDialog.authenticatorCode, '000000');
    await expect(confirmDialog.authenticatorCode).toHaveAccessibleDescription(/^Incorrect code, 4 attempts left$/);
    await confirmDialog.authenticatorCode.fill('1');
    await expect(confirmDialog.dialog.getByText('Incorrect code')).toHaveCount(0);
    await confirmDialog.submit(confirmDialog.authenticatorCode, await nextTotpCode(totpSecretOf(users.owner)));
  });

  await test.step('the secret step lists the permissions and the whitelist', async () => {
    await expect(secretDialog.apiSecret).toBeVisible();
    await secretDialog.readSecret();
    await expect(secretDialog.permissions).toHaveText('Read, Trade, Funds External');
    await expect(secretDialog.whitelist.getByRole('listitem')).toHaveText(['203.0.113.7', '198.51.100.0/24']);
    await secretDialog.saved.check();
    await secretDialog.activate.click();
  });

  await test.step('activation: Cancel leaves the key inactive', async () => {
    await expect(activateDialog.code).toBeVisible();
    await activateDialog.cancel.click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(keysPage.status(name)).toHaveText('Inactive');
  });

  await test.step('the list with a key fits a phone: nothing widens the page at 390 px', async () => {
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(keysPage.navItem).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    if (size) await page.setViewportSize(size);
  });

  await test.step('edit: Cancel on the code step changes nothing', async () => {
    await keysPage.chooseAction(name, 'Edit');
    await editDialog.fill({ uncheck: ['Trade'] });
    await editDialog.save.click();
    const step = KeyChangeCodeDialog.edit(page, name);
    await expect(step.submitButton).toBeVisible();
    await step.cancel.click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(keysPage.permissions(name)).toHaveText('Read, Trade, Funds External');
  });

  await test.step('delete: red at the question and at the code; Cancel keeps the key', async () => {
    await keysPage.chooseAction(name, 'Delete');
    const ask = ConfirmKeyActionDialog.delete(page, name);
    await expect(ask.confirm).toHaveClass(/\bbg-red-700\b/);
    const red = await background(ask.confirm);
    await ask.confirm.click();

    const step = KeyChangeCodeDialog.deletion(page, name);
    await expect(step.submitButton).toHaveClass(/\bbg-red-700\b/);
    expect(await background(step.submitButton)).toBe(red);
    await step.cancel.click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(keysPage.status(name)).toHaveText('Inactive');
  });

  await test.step('and, confirmed, it goes', async () => {
    await keysPage.chooseAction(name, 'Delete');
    await ConfirmKeyActionDialog.delete(page, name).confirm.click();
    const step = KeyChangeCodeDialog.deletion(page, name);
    await step.submit(step.authenticatorCode, await nextTotpCode(totpSecretOf(users.owner)));
    await expect(keysPage.notice('The API key was deleted. It no longer works.')).toBeVisible();
    await expect(keysPage.row(name)).toHaveCount(0);
  });
});

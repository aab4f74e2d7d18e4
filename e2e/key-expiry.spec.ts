import { expect, test } from './fixtures/test';
import { nextTotpCode } from './fixtures/totp';
import { totpSecretOf, uniqueKeyName, users } from './fixtures/users';

const DAY_MS = 86_400_000;

/** 00:00 UTC of the day `days` after today (UTC), as "YYYY-MM-DD". */
function utcDate(days: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + days * DAY_MS).toISOString().slice(0, 10);
}

test.describe('with JavaScript', () => {
  test('a key created with “90 days” expires 90 days from today (UTC); a past date in the edit form is an error, with no outcome next to it', async ({
    page,
    signIn,
    keysPage,
    newKeyDialog,
    confirmDialog,
    secretDialog,
    editDialog,
    keyDetailPage,
  }) => {
    const name = uniqueKeyName('Expiring bot');
    const in90 = utcDate(90);
    await signIn(users.owner);
    await keysPage.goto();
    await keysPage.newKey.click();
    await newKeyDialog.fill({ name, permissions: ['Trade'] });

    // No expiry is the default; the date input only shows for "On a date…".
    await expect(newKeyDialog.expiryChoice('No expiry')).toBeChecked();
    await expect(newKeyDialog.expiresOn).toBeHidden();
    await expect(newKeyDialog.expiryResult).toHaveText('No expiry');
    await newKeyDialog.expiryChoice('On a date…').check();
    await expect(newKeyDialog.expiresOn).toBeVisible();
    await newKeyDialog.expiryChoice('90 days').check();
    await expect(newKeyDialog.expiresOn).toBeHidden();
    await expect(newKeyDialog.expiryResult).toHaveText(`Expires ${in90} 00:00 UTC`);
    for (const [width, height] of [
      [390, 844],
      [1280, 900],
    ]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: test.info().outputPath(`new-key-expiry-${width}.png`), fullPage: true });
    }

    await newKeyDialog.create.click();
    await expect(confirmDialog.dialog).toContainText(`Expires ${in90} 00:00 UTC.`);
    await confirmDialog.submit(confirmDialog.authenticatorCode, await nextTotpCode(totpSecretOf(users.owner)));
    await expect(secretDialog.expiry).toHaveText(`Expires ${in90} 00:00 UTC`);
    await secretDialog.saved.check();
    await secretDialog.activateLater.click();

    await keysPage.detailLink(name).click();
    await expect(keyDetailPage.field('Expiry')).toHaveText(`Expires ${in90} 00:00 UTC`);

    await keysPage.goto();
    await keysPage.chooseAction(name, 'Edit');
    // The key's date is the edit form's starting point.
    await expect(editDialog.expiryChoice('On a date…')).toBeChecked();
    await expect(editDialog.expiresOn).toHaveValue(in90);
    await editDialog.fill({ expiresOn: utcDate(-1) });
    await editDialog.save.click();
    await expect(editDialog.expiryError).toHaveText('Choose a date in the future');
    await expect(editDialog.dialog).not.toContainText('apply at once');
    await expect(editDialog.dialog).not.toContainText('These changes');
    await expect(editDialog.outcome).toHaveCount(0);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: test.info().outputPath('edit-key-expiry-error-390.png'), fullPage: true });

    // Fixed, the error goes and the outcome says what saving does.
    await editDialog.fill({ expiresOn: utcDate(30) });
    await expect(editDialog.expiryError).toHaveCount(0);
    await expect(editDialog.outcome).toContainText('These changes only narrow access and apply at once.');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('“On a date…” uses the date input that is always there; a past date is refused next to it', async ({
    signIn,
    keysPage,
    newKeyDialog,
    confirmDialog,
  }) => {
    const date = utcDate(45);
    await signIn(users.owner, { reuseSession: true });
    await keysPage.goto();
    await keysPage.newKey.click();
    await newKeyDialog.fill({ name: uniqueKeyName('No-JS expiring') });
    await expect(newKeyDialog.expiresOn).toBeVisible();

    await newKeyDialog.expiryChoice('On a date…').check();
    await newKeyDialog.expiresOn.fill('2020-01-01');
    await newKeyDialog.create.click();
    await expect(newKeyDialog.expiryError).toHaveText('Choose a date in the future');
    await expect(newKeyDialog.expiryChoice('On a date…')).toBeChecked();

    await newKeyDialog.expiresOn.fill(date);
    await newKeyDialog.create.click();
    await expect(confirmDialog.dialog).toContainText(`Expires ${date} 00:00 UTC.`);
    await confirmDialog.cancel.click();
  });
});

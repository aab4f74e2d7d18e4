import { expect, test } from './fixtures/test';
import { nextTotpCode } from './fixtures/totp';
import { totpSecretOf, uniqueKeyName, users } from './fixtures/users';

test('an authenticator owner creates a key, sees its secret once and activates it by email code', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  outbox,
}) => {
  const name = uniqueKeyName('Atlas trading bot');
  await signIn(users.owner);
  await keysPage.openFromSettings();

  await keysPage.newKey.click();
  await expect(newKeyDialog.permission('Read')).toBeChecked();
  await expect(newKeyDialog.permission('Read')).toBeDisabled();
  await newKeyDialog.fill({ name, permissions: ['Trade'], whitelist: '1.2.3.4, 5.6.7.8/33; 2001:db8::1' });
  await newKeyDialog.create.click();

  // The bad entry is named in the field's error, and what was typed is kept.
  await expect(newKeyDialog.whitelist).toHaveAttribute('aria-invalid', 'true');
  await expect(newKeyDialog.whitelist).toHaveAccessibleDescription(/'5\.6\.7\.8\/33' is not a valid address or range/);
  await expect(newKeyDialog.name).toHaveValue(name);
  await expect(newKeyDialog.permission('Trade')).toBeChecked();

  await newKeyDialog.whitelist.fill('1.2.3.4, 10.0.0.5/24; 2001:db8::1');
  // The browser's own address (127.0.0.1) is not in the list: the dialog says so before saving.
  await expect(newKeyDialog.dialog.getByText(/Your current address .+ is not in this list/)).toBeVisible();
  await newKeyDialog.create.click();

  // The step repeats what is being created, before the code makes it a key.
  await expect(confirmDialog.dialog).toContainText(`Creating ${name} with Read, Trade, usable from 1.2.3.4, 10.0.0.0/24, 2001:db8::1.`);
  await expect(confirmDialog.dialog).toContainText('Enter the 6-digit code from your authenticator app.');
  await confirmDialog.submit(confirmDialog.authenticatorCode, await nextTotpCode(totpSecretOf(users.owner)));

  await expect(secretDialog.dialog).toBeVisible();
  await expect(secretDialog.apiKey).toHaveText(/^kd_[\w-]{32}$/);
  await expect(secretDialog.apiSecret).toHaveText(/^[\w-]{43}$/);
  const secret = await secretDialog.readSecret();
  const secretUrl = page.url();

  await expect(secretDialog.activate).toBeDisabled();
  await expect(secretDialog.activateLater).toBeDisabled();
  await secretDialog.saved.check();
  await expect(secretDialog.activate).toBeEnabled();
  await expect(secretDialog.activateLater).toBeEnabled();
  await secretDialog.activate.click();

  await expect(activateDialog.dialog).toContainText('We sent an activation code to o***@keydesk.test');
  await activateDialog.submit(await outbox.latestCode('keyActivation', 'Email'));

  await expect(keysPage.notice('The API key is active.')).toBeVisible();
  await expect(keysPage.status(name)).toHaveText('Active');
  await expect(keysPage.row(name).getByRole('cell').first()).toHaveText('Read, Trade');

  // The secret was shown once: coming back to that page shows the key id but never the secret.
  await page.goto(secretUrl);
  await expect(secretDialog.shownOnce).toBeVisible();
  await expect(secretDialog.apiSecret).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  const html = await (await page.request.get(secretUrl)).text();
  expect(html).not.toContain(secret);
});

import { expect, test } from './fixtures/test';
import { nextTotpCode } from './fixtures/totp';
import { uniqueKeyName, users } from './fixtures/users';

test('an owner without 2FA is sent to set up an authenticator, then brought back to create the key', async ({
  page,
  signIn,
  keysPage,
  twoFactorDialog,
  securityPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
}) => {
  const name = uniqueKeyName('Cobalt first key');
  await signIn(users.newOwner);
  await keysPage.goto();

  await keysPage.newKey.click();
  await expect(twoFactorDialog.dialog).toContainText('turn on two-factor authentication first');
  await twoFactorDialog.cancel.click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(twoFactorDialog.dialog).toHaveCount(0);

  await keysPage.newKey.click();
  await twoFactorDialog.enable.click();
  await expect(securityPage.heading).toBeVisible();
  await expect(page.getByText('you will be taken back afterwards')).toBeVisible();
  await securityPage.setUpAuthenticator.click();

  // What a person would type into their authenticator app instead of scanning the QR code.
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = ((await securityPage.manualKey.textContent()) ?? '').replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await securityPage.appCode.fill(await nextTotpCode(secret));
  await securityPage.turnOn.click();

  await expect(page).toHaveURL(/\/settings\/api-keys\/new$/);
  await newKeyDialog.fill({ name });
  await newKeyDialog.create.click();
  await expect(confirmDialog.dialog).toContainText('Enter the 6-digit code from your authenticator app.');
  await confirmDialog.submit(confirmDialog.authenticatorCode, await nextTotpCode(secret));

  await expect(secretDialog.apiSecret).toBeVisible();
  await secretDialog.saved.check();
  await secretDialog.activateLater.click();
  await expect(keysPage.status(name)).toHaveText('Inactive');
});

import { wrongCode } from './fixtures/outbox';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

test('an SMS owner creates a key, activates it later from the list', async ({
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  outbox,
}) => {
  const name = uniqueKeyName('Borealis reporting');
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.goto();
  await keysPage.newKey.click();
  await newKeyDialog.fill({ name });
  await newKeyDialog.create.click();

  await expect(confirmDialog.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
  // Live countdowns: when the code expires and when Resend appears.
  await expect(confirmDialog.expiry).toHaveText(/^The code expires in [45]:\d\d$/);
  await expect(confirmDialog.resendWait).toHaveText(/^You can ask for a new code in [12]:\d\d$/);
  await expect(confirmDialog.dialog.getByRole('button', { name: 'Resend' })).toHaveCount(0);

  const code = await outbox.latestCode('keyCreation', 'SMS');
  await confirmDialog.submit(confirmDialog.smsCode, wrongCode(code));
  // Read with the field: when the code expires, then what was wrong with the last one.
  await expect(confirmDialog.smsCode).toHaveAccessibleDescription(/^The code expires in [45]:\d\d Incorrect code, 4 attempts left$/);
  await confirmDialog.submit(confirmDialog.smsCode, code);

  await expect(secretDialog.apiSecret).toBeVisible();
  await expect(secretDialog.activateLater).toBeDisabled();
  await secretDialog.saved.check();
  await secretDialog.activateLater.click();

  await expect(keysPage.notice('The API key was created and is inactive.')).toBeVisible();
  await expect(keysPage.status(name)).toHaveText('Inactive');
  await expect(keysPage.row(name).getByRole('cell').first()).toHaveText('Read');
  await keysPage.activateButton(name).click();

  await expect(activateDialog.dialog).toContainText('We sent an activation code to s***@keydesk.test');
  await activateDialog.submit(await outbox.latestCode('keyActivation', 'Email'));
  await expect(keysPage.notice('The API key is active.')).toBeVisible();
  await expect(keysPage.status(name)).toHaveText('Active');
  await expect(keysPage.activateButton(name)).toHaveCount(0);
});

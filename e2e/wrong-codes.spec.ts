import { wrongCode } from './fixtures/outbox';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

// An expired code (5 minutes) is not tried here: the server's clock cannot be moved from the
// browser, so that case belongs to the integration tests, which pass `now` to the domain code.

test('five wrong codes void the pending creation; the owner starts again', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  outbox,
}) => {
  const name = uniqueKeyName('Never created');
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.goto();
  await keysPage.newKey.click();
  await newKeyDialog.fill({ name, permissions: ['Funds Wallet'] });
  await newKeyDialog.create.click();
  // Read once the dialog says it was sent: sooner, the outbox may not hold the code yet.
  await expect(confirmDialog.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');

  const code = await outbox.latestCode('keyCreation', 'SMS');
  for (let attempt = 1; attempt <= 4; attempt++) {
    await confirmDialog.submit(confirmDialog.smsCode, wrongCode(code, attempt));
    const left = 5 - attempt;
    // Read with the field: when the code expires, then what was wrong with the last one.
    await expect(confirmDialog.smsCode).toHaveAccessibleDescription(
      new RegExp(`^The code expires in \\d:\\d\\d Incorrect code, ${left} ${left === 1 ? 'attempt' : 'attempts'} left$`),
    );
  }
  await confirmDialog.submit(confirmDialog.smsCode, wrongCode(code, 5));
  await expect(confirmDialog.dialog.getByRole('alert')).toHaveText('Too many incorrect codes. This request has ended — start again.');

  // The request is over for good: the right code has nowhere to go, and no key was made.
  await page.reload();
  await expect(confirmDialog.dialog).toContainText('This request has ended');
  await expect(confirmDialog.smsCode).toHaveCount(0);
  await expect(keysPage.row(name)).toHaveCount(0);
  await confirmDialog.startAgain.click();
  await expect(page).toHaveURL(/\/settings\/api-keys\/new$/);
  await expect(newKeyDialog.dialog).toBeVisible();
});

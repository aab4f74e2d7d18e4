import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

test.use({ javaScriptEnabled: false });

test('the whole create flow works as plain HTML forms, without JavaScript', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  outbox,
}) => {
  const name = uniqueKeyName('No-JS key');
  await signIn(users.smsOwner);
  await keysPage.goto();
  await keysPage.newKey.click();
  await newKeyDialog.fill({ name, permissions: ['Trade', 'Funds Internal'], whitelist: '203.0.113.7\n198.51.100.0/24' });
  await newKeyDialog.create.click();

  // Without JavaScript the countdowns read as clock times, which stay true.
  await expect(confirmDialog.expiry).toHaveText(/^The code expires at \d\d:\d\d:\d\d UTC$/);
  await expect(confirmDialog.resendWait).toHaveText(/^You can ask for a new code at \d\d:\d\d:\d\d UTC$/);
  await confirmDialog.submit(confirmDialog.smsCode, await outbox.latestCode('keyCreation', 'SMS'));

  await expect(secretDialog.apiSecret).toHaveText(/^[\w-]{43}$/);
  // The buttons cannot be disabled without JavaScript: the checkbox is required instead.
  await expect(secretDialog.saved).toHaveAttribute('required', '');
  await secretDialog.saved.check();
  await secretDialog.activateLater.click();

  await expect(page).toHaveURL(/\/settings\/api-keys\?notice=later$/);
  await expect(keysPage.status(name)).toHaveText('Inactive');
  await expect(keysPage.row(name).getByRole('cell').first()).toHaveText('Read, Trade, Funds Internal');

  // The row works as plain HTML too: its menu is a native disclosure, and Activate a form post.
  await keysPage.chooseAction(name, 'Details');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await page.goBack();
  await keysPage.activateButton(name).click();
  await expect(activateDialog.dialog).toContainText('We sent an activation code to');
});

test('without JavaScript: bad whitelist entries one a line, errors of fixed fields gone, and the withdrawal warning still shows', async ({
  signIn,
  keysPage,
  newKeyDialog,
}) => {
  await signIn(users.owner, { reuseSession: true });
  await keysPage.goto();
  await keysPage.newKey.click();
  await newKeyDialog.fill({ name: '   ', whitelist: '5.6.7.8/33, not-an-ip' });
  await newKeyDialog.create.click();
  await expect(newKeyDialog.name).toHaveAccessibleDescription('Enter a name for the key');
  await expect(newKeyDialog.whitelistErrors).toHaveText([
    "'5.6.7.8/33' is not a valid address or range",
    "'not-an-ip' is not a valid address or range",
  ]);

  // The server draws the page again from what was sent: the fixed name has no error left.
  await newKeyDialog.name.fill(uniqueKeyName('No-JS withdrawer'));
  await newKeyDialog.whitelist.fill('not-an-ip');
  await newKeyDialog.create.click();
  await expect(newKeyDialog.whitelistErrors).toHaveCount(0);
  await expect(newKeyDialog.whitelist).toHaveAccessibleDescription(/'not-an-ip' is not a valid address or range$/);
  await expect(newKeyDialog.name).not.toHaveAttribute('aria-invalid');

  // CSS alone shows the warning: Funds External ticked while the whitelist is empty.
  await expect(newKeyDialog.withdrawalWarning).toBeHidden();
  await newKeyDialog.permission('Funds External').check();
  await newKeyDialog.whitelist.fill('');
  await expect(newKeyDialog.withdrawalWarning).toBeVisible();
  await newKeyDialog.whitelist.fill('203.0.113.7');
  await expect(newKeyDialog.withdrawalWarning).toBeHidden();
});

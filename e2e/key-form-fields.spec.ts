import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('the errors and hints of the fields do not depend on the database');

test("a field's error goes as soon as that field changes, and bad whitelist entries are listed one a line", async ({
  signIn,
  keysPage,
  newKeyDialog,
}) => {
  await signIn(users.owner, { reuseSession: true });
  await keysPage.goto();
  await keysPage.newKey.click();
  // Spaces pass the browser's `required`; the server trims them and refuses the name.
  await newKeyDialog.fill({ name: '   ', whitelist: '203.0.113.7, 5.6.7.8/33; not-an-ip\n300.1.1.1' });
  await newKeyDialog.create.click();

  await expect(newKeyDialog.name).toHaveAttribute('aria-invalid', 'true');
  await expect(newKeyDialog.name).toHaveAccessibleDescription('Enter a name for the key');
  await expect(newKeyDialog.whitelistErrors).toHaveText([
    "'5.6.7.8/33' is not a valid address or range",
    "'not-an-ip' is not a valid address or range",
    "'300.1.1.1' is not a valid address or range",
  ]);
  await expect(newKeyDialog.whitelist).toHaveAccessibleDescription(
    /'5\.6\.7\.8\/33' is not .* '300\.1\.1\.1' is not a valid address or range$/,
  );

  // Typing a name clears the name's error only: the whitelist has not changed, its errors stand.
  await newKeyDialog.name.fill('Fixed name');
  await expect(newKeyDialog.dialog.getByText('Enter a name for the key')).toHaveCount(0);
  await expect(newKeyDialog.name).not.toHaveAttribute('aria-invalid');
  await expect(newKeyDialog.whitelistErrors).toHaveCount(3);

  // Editing the whitelist clears its list, entries the box no longer holds with it.
  await newKeyDialog.whitelist.fill('203.0.113.7');
  await expect(newKeyDialog.whitelistErrors).toHaveCount(0);
  await expect(newKeyDialog.dialog.getByText('is not a valid address or range')).toHaveCount(0);
  await expect(newKeyDialog.whitelist).not.toHaveAttribute('aria-invalid');

  // The server stays the judge: a bad list submitted again is refused again.
  await newKeyDialog.whitelist.fill('203.0.113.7 nope');
  await newKeyDialog.create.click();
  await expect(newKeyDialog.whitelist).toHaveAccessibleDescription(/'nope' is not a valid address or range$/);
  await expect(newKeyDialog.name).toHaveValue('Fixed name');
});

test('each permission says what it allows; the two that move money are marked; Funds External with no whitelist warns without blocking', async ({
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  page,
}) => {
  await signIn(users.owner, { reuseSession: true });
  await keysPage.goto();
  await keysPage.newKey.click();

  const allows: [label: string, description: string, movesMoney: boolean][] = [
    ['Read', 'See balances, orders, transactions and account data. Always on.', false],
    ['Trade', 'Place and cancel orders.', false],
    ['Funds Internal', 'Move funds between the main account and its sub-accounts.', false],
    ['Funds Wallet', "Move funds between a sub-account and the account's wallet.", true],
    ['Funds External', 'Withdraw to external crypto addresses, out of the platform.', true],
  ];
  for (const [label, description, movesMoney] of allows) {
    await expect(newKeyDialog.dialog.getByText(description, { exact: true })).toBeVisible();
    // Read with the checkbox by screen readers, the mark first.
    await expect(newKeyDialog.permission(label)).toHaveAccessibleDescription(movesMoney ? `Moves money ${description}` : description);
    await expect(newKeyDialog.movesMoney(label)).toHaveCount(movesMoney ? 1 : 0);
  }

  // The warning follows the form as the owner ticks and types.
  await expect(newKeyDialog.withdrawalWarning).toBeHidden();
  await newKeyDialog.permission('Funds External').check();
  await expect(newKeyDialog.withdrawalWarning).toBeVisible();
  await newKeyDialog.whitelist.fill('203.0.113.7');
  await expect(newKeyDialog.withdrawalWarning).toBeHidden();
  await newKeyDialog.whitelist.fill('  ');
  await expect(newKeyDialog.withdrawalWarning).toBeVisible();
  await newKeyDialog.permission('Funds External').uncheck();
  await expect(newKeyDialog.withdrawalWarning).toBeHidden();
  await newKeyDialog.permission('Funds External').check();

  // Not blocking: CREATE API Key goes on, and the code step says it again before the key exists.
  const name = uniqueKeyName('Withdrawer');
  await newKeyDialog.name.fill(name);
  await newKeyDialog.create.click();
  await expect(confirmDialog.dialog).toContainText(`Creating ${name} with Read, Funds External, usable from any address.`);
  await expect(confirmDialog.dialog.getByText('any address can use this key to withdraw')).toBeVisible();
  await confirmDialog.cancel.click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(keysPage.row(name)).toHaveCount(0);
});

import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';

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

import { expect, test } from './fixtures/test';
import { nextTotpCode } from './fixtures/totp';
import { totpSecretOf, uniqueKeyName, users } from './fixtures/users';

/**
 * Creating a key tells the owner by email, and /dev/outbox shows that email as its reader would:
 * its HTML part drawn in a sandboxed frame (a name like "<b>…</b>" shows as typed, not as markup),
 * then its plain-text part — naming the key and its first characters, never its secret.
 */
test('a key created in the browser: its security email is in the outbox, naming the key', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
}) => {
  const name = uniqueKeyName('<b>Mail</b> bot');
  await signIn(users.owner, { reuseSession: true });
  await keysPage.openFromSettings();
  await keysPage.newKey.click();
  await newKeyDialog.fill({ name, permissions: ['Trade'] });
  await newKeyDialog.create.click();
  await confirmDialog.submit(confirmDialog.authenticatorCode, await nextTotpCode(totpSecretOf(users.owner)));
  await expect(secretDialog.dialog).toBeVisible();
  const apiKey = (await secretDialog.apiKey.textContent()) ?? '';
  const secret = await secretDialog.readSecret();

  const outbox = await page.context().newPage();
  await outbox.goto('/dev/outbox');
  const email = outbox.getByRole('listitem').filter({ hasText: `New API key created: “${name}”` });
  await expect(email).toHaveCount(1);
  await expect(email).toContainText(`Email to ${users.owner.email}`);

  // The HTML part, in a frame that may run nothing and reach nothing.
  const frame = email.locator('iframe');
  await expect(frame).toHaveAttribute('sandbox', '');
  await expect(frame).toHaveAccessibleName(`Email: New API key created: “${name}”`);
  const html = email.frameLocator('iframe');
  await expect(html.getByRole('heading', { level: 1, name: 'A new API key was created' })).toBeVisible();
  await expect(html.getByRole('row', { name: /API key name/ })).toContainText(name);
  await expect(html.getByRole('row', { name: /^API key\b(?! name)/ })).toContainText(`${apiKey.slice(0, 12)}…`);
  await expect(html.getByText('If this was not you')).toBeVisible();
  await expect(html.locator('b')).toHaveCount(0);

  // The plain-text part, below it.
  const text = email.locator('pre');
  await expect(text).toContainText(`The API key “${name}” was created on your account.`);
  await expect(text).toContainText(`API key:      ${apiKey.slice(0, 12)}…`);
  await expect(text).toContainText('Permissions:  Read, Trade');
  await expect(text).toContainText('From address:');
  expect(await email.innerText()).not.toContain(apiKey);
  expect(await outbox.content()).not.toContain(secret);
});

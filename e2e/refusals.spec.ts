import { expect, test } from './fixtures/test';
import { users, type DemoUser } from './fixtures/users';

const refused: [string, DemoUser][] = [
  ['a member of a Prime account', users.member],
  ['the owner of a standard account', users.standard],
  ['a platform admin', users.admin],
];

for (const [who, user] of refused) {
  test(`${who} is refused API Keys Management`, async ({ page, signIn, keysPage, newKeyDialog }) => {
    await signIn(user);
    for (const path of ['/settings/api-keys', '/settings/api-keys/new']) {
      await page.goto(path);
      await expect(keysPage.heading).toBeVisible();
      await expect(keysPage.refusal).toBeVisible();
      await expect(keysPage.newKey).toHaveCount(0);
      await expect(newKeyDialog.dialog).toHaveCount(0);
      await expect(page.getByRole('table')).toHaveCount(0);
    }
  });
}

test('a signed-out visitor is sent to sign in and comes back to the key list', async ({ page, signIn, keysPage }) => {
  await page.goto('/settings/api-keys/new');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings%2Fapi-keys%2Fnew$/);

  await page.goto('/settings/api-keys');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings%2Fapi-keys$/);
  await signIn(users.smsOwner, { alreadyOnSignIn: true });
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(keysPage.heading).toBeVisible();
  await expect(keysPage.newKey).toBeVisible();
});

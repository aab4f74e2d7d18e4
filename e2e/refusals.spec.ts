import { expect, test } from './fixtures/test';
import { users, type DemoUser } from './fixtures/users';

// Each person is told why in their own terms, and what they can do instead.
const refused: [string, DemoUser, RegExp, string][] = [
  [
    'a member of a Prime account',
    users.member,
    /^You are a member of Atlas Capital\. Ask its owner to create or change API keys\.$/,
    'Keydesk · Prime Liquidity',
  ],
  [
    'the owner of a standard account',
    users.standard,
    /^\S.* is a standard account: API keys come with a Prime Liquidity account\.$/,
    'Keydesk · Standard',
  ],
  [
    'a platform admin',
    users.admin,
    /^You are signed in as a platform administrator: review every account's keys in the admin console\.$/,
    'Keydesk',
  ],
];

for (const [who, user, nextStep, brand] of refused) {
  test(`${who} is refused API Keys Management, is not offered it, and is told why in their own terms`, async ({
    page,
    signIn,
    keysPage,
    newKeyDialog,
  }) => {
    await signIn(user);
    await page.goto('/settings/profile');
    await expect(page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Security' })).toBeVisible();
    await expect(keysPage.navItem).toHaveCount(0);
    await expect(keysPage.brand).toHaveText(brand);
    for (const path of ['/settings/api-keys', '/settings/api-keys/new']) {
      await page.goto(path);
      await expect(keysPage.heading).toBeVisible();
      await expect(keysPage.refusal).toBeVisible();
      await expect(keysPage.refusalBox.getByText(nextStep)).toBeVisible();
      await expect(keysPage.newKey).toHaveCount(0);
      await expect(newKeyDialog.dialog).toHaveCount(0);
      await expect(page.getByRole('table')).toHaveCount(0);
    }
  });
}

test('the owner of a Prime account is offered API Keys Management under a Prime Liquidity header', async ({ page, signIn, keysPage }) => {
  await signIn(users.owner, { reuseSession: true });
  await page.goto('/settings/profile');
  await expect(keysPage.brand).toHaveText('Keydesk · Prime Liquidity');
  await keysPage.openFromSettings();
  await expect(keysPage.newKey).toBeVisible();
  await expect(keysPage.refusal).toHaveCount(0);
});

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

import { expect, test } from './fixtures/test';
import { SignInPage } from './fixtures/pages';
import { nextTotpCode } from './fixtures/totp';
import { totpSecretOf, uniqueKeyName, users } from './fixtures/users';
import { rememberSecret } from './support/run-environment';

/**
 * #15: owners hear about their keys, and can act on it. A security email's "This wasn't me" link
 * — followed signed out, through sign-in — deactivates every key and ends every other session
 * with one code; Settings › Security ends one other browser's session.
 */

// A browser nobody else in the suite uses, so its row in the session list is this test's.
const EDGE_ON_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0';

test('Settings › Security lists the signed-in browsers and ends another one', async ({ page, browser, baseURL, signIn, noPageErrors }) => {
  const phone = await browser.newContext({ baseURL, userAgent: EDGE_ON_ANDROID });
  noPageErrors.watch(phone);
  const phonePage = await phone.newPage();
  await new SignInPage(phonePage).goto();
  await new SignInPage(phonePage).submitPassword(users.member.email, users.member.password);
  await expect(phonePage).not.toHaveURL(/\/sign-in/);

  await signIn(users.member);
  await page.goto('/settings/security');
  const list = page.getByRole('list', { name: 'Signed-in browsers' });
  await expect(list.getByRole('listitem').filter({ hasText: 'This browser' })).toHaveCount(1);
  const phoneRow = list.getByRole('listitem').filter({ hasText: 'Edge on Android' });
  await expect(phoneRow).toHaveCount(1);
  await phoneRow.getByRole('button', { name: /^End session/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The session was ended' })).toBeVisible();
  await expect(list.getByRole('listitem').filter({ hasText: 'Edge on Android' })).toHaveCount(0);

  // Its next request: back to sign-in.
  await phonePage.goto('/settings/security');
  await expect(phonePage).toHaveURL(/\/sign-in/);
  await phone.close();
});

test('a key created → its email → "This wasn’t me" → sign in → one code: every key inactive, other sessions ended', async ({
  page,
  signIn,
  pageSignedInAs,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  outbox,
}) => {
  const name = uniqueKeyName('Not me');
  await signIn(users.owner, { reuseSession: true });
  await keysPage.goto();
  await keysPage.newKey.click();
  await newKeyDialog.fill({ name, permissions: ['Trade'] });
  await newKeyDialog.create.click();
  await confirmDialog.submit(confirmDialog.authenticatorCode, await nextTotpCode(totpSecretOf(users.owner)));
  await secretDialog.saved.check();
  await secretDialog.activate.click();
  await expect(activateDialog.dialog).toContainText('We sent an activation code');
  await activateDialog.submit(await outbox.latestCode('keyActivation', 'Email'));
  await expect(keysPage.status(name)).toHaveText('Active');
  // Another browser of the owner's, signed in: it must be signed out by the end.
  const elsewhere = await pageSignedInAs(users.owner, { reuseSession: true });

  await page.goto('/dev/outbox');
  const email = page.getByRole('listitem').filter({ hasText: `New API key created: “${name}”` });
  const link = /This wasn’t me[^:]*: (http\S+)/.exec(await email.locator('pre').innerText())?.[1];
  expect(link).toMatch(/\/settings\/security\/not-me\/[\w-]{43}$/);
  const linkPath = new URL(link!).pathname;
  rememberSecret(linkPath.split('/').at(-1)!); // the run's log check: never in the server's log

  // Followed from the email, signed out: sign in first, then back to the link.
  await page.context().clearCookies();
  await page.goto(linkPath);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signIn(users.owner, { alreadyOnSignIn: true });
  await expect(page).toHaveURL(linkPath);
  await expect(page.getByRole('heading', { name: 'This wasn’t me', level: 1 })).toBeVisible();
  await page.getByLabel('Verification code').fill(await nextTotpCode(totpSecretOf(users.owner)));
  await page.getByRole('button', { name: 'Deactivate all keys' }).click();

  await expect(page).toHaveURL(/\/settings\/api-keys\?notice=all-deactivated/);
  await expect(keysPage.notice('Every active API key was deactivated')).toBeVisible();
  await expect(keysPage.status(name)).toHaveText('Inactive');
  await expect(page.getByRole('rowheader').getByText('Active', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Deactivate all keys' })).toHaveCount(0);

  await elsewhere.goto('/settings/api-keys');
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  // The link worked once.
  await page.goto(linkPath);
  await expect(page.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
});

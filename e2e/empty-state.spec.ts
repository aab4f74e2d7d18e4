import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';

test('an owner with no keys yet is pointed to the API documentation', async ({ page, signIn, keysPage }) => {
  await signIn(users.newOwner, { reuseSession: true });
  await keysPage.goto();
  await expect(page.getByText('No API keys yet')).toBeVisible();
  await page.getByRole('link', { name: 'Read the API documentation' }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page.getByRole('heading', { name: 'API documentation', level: 1 })).toBeVisible();
});

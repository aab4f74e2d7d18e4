import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('layout, colours and axe do not depend on the database');

/**
 * Dark mode: the browser's preference by default, a System / Light / Dark switch remembered per
 * browser and drawn from the first byte (no flash), and axe clean (WCAG 2.2 AA) in dark: here sign-in and
 * a dialog in an error state, which no page sweep reaches; every page itself in e2e/every-page.spec.ts
 * and e2e/every-admin-page.spec.ts.
 */
/** How light the page behind the cards is, 0 (black) to 1 (white), as the screen shows it. */
const pageLightness = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d')!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
const expectDark = async (page: Page) => expect(await pageLightness(page)).toBeLessThan(0.15);
const expectLight = async (page: Page) => expect(await pageLightness(page)).toBeGreaterThan(0.9);

async function axeViolations(page: Page): Promise<string[]> {
  await expect(page).toHaveTitle(/\S/);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return violations.map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('with the browser set to dark', () => {
  test.use({ colorScheme: 'dark' });

  test('sign-in, the keys list and the new-key dialog with errors are dark and axe clean', async ({
    page,
    signIn,
    signInPage,
    keysPage,
    newKeyDialog,
  }) => {
    await signInPage.goto();
    await expectDark(page);
    expect(await axeViolations(page), 'sign-in').toEqual([]);

    await signIn(users.owner, { reuseSession: true });
    await keysPage.goto();
    await expectDark(page);
    expect(await axeViolations(page), 'keys list').toEqual([]);

    await keysPage.newKey.click();
    await newKeyDialog.fill({ name: uniqueKeyName('Dark'), permissions: ['Funds External'], whitelist: 'not-an-address' });
    await newKeyDialog.create.click();
    await expect(newKeyDialog.whitelist).toHaveAccessibleDescription(/not a valid address/);
    expect(await axeViolations(page), 'new-key dialog with an error and the withdrawal warning').toEqual([]);
  });

  test('Light is remembered by this browser and drawn from the first byte; System follows the browser again', async ({ page, signIn }) => {
    await signIn(users.member, { reuseSession: true });
    await page.goto('/settings/profile');
    const theme = page.getByRole('form', { name: 'Theme' });
    await expect(theme.getByRole('button', { name: 'System' })).toHaveAttribute('aria-pressed', 'true');

    await theme.getByRole('button', { name: 'Light' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect(theme.getByRole('button', { name: 'Light' })).toHaveAttribute('aria-pressed', 'true');
    await expectLight(page);

    // A fresh load: the server's HTML already says light, so nothing flashes dark first.
    const html = await (await page.request.get('/settings/profile')).text();
    expect(html).toMatch(/<html[^>]*data-theme="light"/);
    await page.reload();
    await expectLight(page);

    await theme.getByRole('button', { name: 'System' }).click();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
    await expectDark(page);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false, colorScheme: 'light' });

  test('the theme switch is a plain form post', async ({ page, signIn }) => {
    await signIn(users.member, { reuseSession: true });
    await page.goto('/settings/profile');
    await page.getByRole('form', { name: 'Theme' }).getByRole('button', { name: 'Dark' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectDark(page);
    await page.getByRole('form', { name: 'Theme' }).getByRole('button', { name: 'System' }).click();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  });
});

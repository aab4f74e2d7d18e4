import type { Response } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('how the server encodes what it sends does not depend on the database');

/** Brotli when the browser offers it (Chromium does over HTTPS and on localhost), else gzip. */
async function expectedEncoding(response: Response | null): Promise<string> {
  const offered = (await response?.request().headerValue('accept-encoding')) ?? '';
  return /\bbr\b/.test(offered) ? 'br' : 'gzip';
}

test('pages, their scripts and styles, and the payloads of a navigation reach the browser compressed', async ({ page, signIn }) => {
  await signIn(users.owner, { reuseSession: true });
  const responses: Response[] = [];
  page.on('response', (response) => responses.push(response));
  const first = await page.goto('/settings/api-keys');
  expect(first?.status()).toBe(200);
  const encoding = await expectedEncoding(first);
  expect(await first?.headerValue('content-encoding')).toBe(encoding);
  expect(await first?.headerValue('vary')).toMatch(/Accept-Encoding/);

  // A client-side navigation: Next fetches the next page's server components payload.
  await page.getByRole('link', { name: 'Security' }).first().click();
  await expect(page).toHaveURL(/\/settings\/security$/);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();

  const encodingOf = async (kind: RegExp) => {
    const matching = responses.filter((response) => kind.test(response.url()) && response.status() === 200);
    return Promise.all(
      matching.map(async (response) => `${new URL(response.url()).pathname} ${await response.headerValue('content-encoding')}`),
    );
  };
  for (const kind of [/\.js$/, /\.css$/, /\/settings\/security\?_rsc=/]) {
    const encodings = await encodingOf(kind);
    expect(encodings.length, String(kind)).toBeGreaterThan(0);
    expect(encodings.filter((line) => !line.endsWith(` ${encoding}`))).toEqual([]);
  }
});

test('the largest page (the API reference) arrives whole, compressed', async ({ page }) => {
  const response = await page.goto('/docs/api');
  expect(await response?.headerValue('content-encoding')).toBe(await expectedEncoding(response));
  // Its last section rendered: the whole half-megabyte page was decoded, not a prefix of it.
  await expect(page.locator('main h2').last()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.outerHTML.length)).toBeGreaterThan(100_000);
});

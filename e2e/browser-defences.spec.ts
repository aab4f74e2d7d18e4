import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';

test('an inline script injected into a page does not run under the CSP, while the app’s own scripts do', async ({ browser, baseURL }) => {
  // Its own context: the browser reports the blocked script as a console error, which is the point.
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  await page.route('**/sign-in', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('<body', '<script>window.__injected = true</script><body');
    await route.fulfill({ response, body: html });
  });
  const response = await page.goto('/sign-in');
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();
  expect(violations.join('\n')).toContain('inline script');
  // Next's own inline and external scripts carry this response's nonce: the page hydrated.
  await expect.poll(() => page.evaluate(() => Array.isArray((window as { __next_f?: unknown[] }).__next_f))).toBe(true);
  await context.close();
});

test('a cross-site form post with the session cookie is refused with 403 and changes nothing', async ({ page, signIn, baseURL }) => {
  await signIn(users.admin);
  await page.goto('/settings/security');
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Sign out everywhere' }) });
  const fields = Object.fromEntries(await form.evaluate((f: HTMLFormElement) => [...new FormData(f)].map(([k, v]) => [k, String(v)])));

  // What a form on another site submits: the cookie rides along, no Origin, the browser says cross-site.
  const forgeries: Record<string, string>[] = [
    { 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/prize' },
    { origin: 'https://evil.example' },
    { origin: 'null' },
  ];
  for (const headers of forgeries) {
    const forged = await page.request.post('/settings/security', { multipart: fields, headers, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await page.goto('/settings/security');
    await expect(page).toHaveURL(/\/settings\/security$/);
  }

  // The same post from our own page does run: the session ends, so the refusal above was the guard.
  const own = await page.request.post('/settings/security', {
    multipart: fields,
    headers: { origin: new URL(baseURL!).origin, 'sec-fetch-site': 'same-origin' },
    maxRedirects: 0,
  });
  expect(own.status()).toBeLessThan(400);
  await page.goto('/settings/security');
  await expect(page).toHaveURL(/\/sign-in/);
});

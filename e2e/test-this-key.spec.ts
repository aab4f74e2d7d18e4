import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

test('Test this key signs a real call in the browser, sends it to the API and shows the answer; the secret never leaves the page', async ({
  page,
  browser,
  baseURL,
  signIn,
  keysPage,
  smsOwnerKeys,
}) => {
  const name = uniqueKeyName('Tested key');
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.goto();
  const { apiKey, secret } = await smsOwnerKeys.create(name);
  await smsOwnerKeys.activate(name);
  const keyPath = (await keysPage.detailLink(name).getAttribute('href'))!;

  // Everything the page sends to our origin, to check the secret is in none of it.
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(baseURL!))
      sent.push([request.url(), JSON.stringify(request.headers()), request.postData() ?? ''].join(' '));
  });

  await page.goto(keyPath);
  const section = page.getByRole('region', { name: 'Test this key' });
  await section.getByLabel('Action').selectOption('get_my_account_status_v3');
  await section.getByLabel('API secret').fill(secret);
  const call = page.waitForRequest((r) => r.url().endsWith('/api/rest/get_my_account_status_v3'));
  await section.getByRole('button', { name: 'Sign and send' }).click();
  const request = await call;
  expect(request.headers()['x-aggr-key']).toBe(apiKey);
  expect(request.headers()['x-aggr-signature']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  expect(request.postData()).toBe('{}');

  const status = section.getByRole('status');
  await expect(status.getByRole('heading', { name: /^Response: HTTP 200/ })).toBeVisible();
  await expect(status).toContainText('"ok": "ok"');
  await expect(status).toContainText('"balancesPerAccounts"');
  // The same request as curl and Node: the key and the signature, never the secret.
  const curl = section.locator('pre').filter({ hasText: 'curl -X POST' });
  await expect(curl).toContainText(`X-AGGR-KEY: ${apiKey}`);
  await expect(curl).toContainText(`X-AGGR-SIGNATURE: ${request.headers()['x-aggr-signature']}`);
  await expect(section.locator('pre').filter({ hasText: 'await fetch(' })).toContainText(apiKey);
  await expect(section).not.toContainText(secret);

  // A wrong secret: the API's own refusal, explained.
  await section.getByLabel('API secret').fill(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`);
  await section.getByRole('button', { name: 'Sign and send' }).click();
  await expect(status.getByRole('heading', { name: /^Response: HTTP 401/ })).toBeVisible();
  await expect(status).toContainText('Authorization Failed');
  await expect(status).toContainText('check that you pasted this key’s secret');

  expect(sent.length).toBeGreaterThan(0);
  for (const line of sent) expect(line).not.toContain(secret);

  // Without JavaScript: the templates, and why sending needs JavaScript.
  const noJs = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
  try {
    const plain = await noJs.newPage();
    await plain.goto(keyPath);
    const region = plain.getByRole('region', { name: 'Test this key' });
    await expect(region).toContainText('Sending a test call needs JavaScript');
    await expect(region).toContainText(apiKey);
    await expect(region.locator('pre').filter({ hasText: 'openssl dgst -sha256 -hmac' })).toBeVisible();
    await expect(region.locator('pre').filter({ hasText: "createHmac('sha256', API_SECRET)" })).toBeVisible();
    await expect(region.getByLabel('API secret')).toHaveCount(0);
  } finally {
    await noJs.close();
  }
});

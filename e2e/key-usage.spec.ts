import { createHmac } from 'node:crypto';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

/** A call from outside the browser, as a bot makes it: Node's fetch against the server. */
async function restCall(baseURL: string, apiKey: string, secret: string, action: string, body: unknown) {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret)
    .update(action + timestamp + raw)
    .digest('base64');
  const res = await fetch(`${baseURL}/api/rest/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-AGGR-KEY': apiKey, 'X-AGGR-TIMESTAMP': timestamp, 'X-AGGR-SIGNATURE': signature },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

test('a call with a wrong signature, made from outside, is explained on the key page', async ({
  page,
  baseURL,
  signIn,
  keysPage,
  keyDetailPage,
  smsOwnerKeys,
}) => {
  const name = uniqueKeyName('Usage');
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.openFromSettings();
  const { apiKey, secret } = await smsOwnerKeys.create(name);

  // The bot signs with the wrong secret: the wire says only what CEX.IO says.
  expect(await restCall(baseURL!, apiKey, `${secret}x`, 'get_my_wallet_balance', {})).toEqual({
    status: 401,
    body: { error: 'Authorization Failed' },
  });
  // Then with the right one, before the key is activated.
  expect((await restCall(baseURL!, apiKey, secret, 'get_my_wallet_balance', {})).status).toBe(401);

  await keysPage.detailLink(name).click();
  await expect(keyDetailPage.heading(name)).toBeVisible();
  const refused = page.getByRole('list', { name: 'Recent refused calls, newest first' });
  // Counts are written every few seconds, off the request path: the page shows them after the next flush.
  await expect(async () => {
    await page.reload();
    await expect(refused.getByRole('listitem')).toHaveCount(2, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(refused.getByRole('listitem').nth(1)).toContainText(
    'signature does not match: check that you sign action + timestamp + the exact body, with the secret as its UTF-8 text',
  );
  await expect(refused.getByRole('listitem').nth(1)).toContainText('get_my_wallet_balance (REST)');
  await expect(refused.getByRole('listitem').first()).toContainText('the key has not been activated yet: activate it from this page');
  await expect(page.getByText(/^2 calls in the last 7 days: 0 accepted, 2 refused\./)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Calls by action' }).getByRole('row', { name: /get_my_wallet_balance/ })).toContainText(
    /0\s*2/,
  );
  // Never the secret, nor the signature.
  expect(await page.content()).not.toContain(secret);
});

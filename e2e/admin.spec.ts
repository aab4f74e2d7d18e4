import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { AdminAccountsPage, AdminAuditPage, AdminKeyPage, AdminKeysPage, NotFoundPage, ReasonDialog } from './fixtures/admin-pages';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users, type DemoUser } from './fixtures/users';

const CSV_HEADER = 'at,id,action,success,actor_email,actor_user_id,account_id,account_name,api_key_id,key_name,ip,user_agent,details';

test('an admin finds a key, suspends it (its owner sees why and cannot activate it), lifts the suspension, revokes it, and finds it all in the audit log and its CSV export', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  outbox,
  pageSignedInAs,
}) => {
  const name = uniqueKeyName('Admin target');
  const suffix = name.slice(-5);
  const suspension = `Unusual withdrawals ${suffix}`;
  const revocation = `Secret published in a public repository ${suffix}`;

  // The owner, in this test's own browser context; the admin gets a second one.
  await test.step('the owner creates a key and leaves it inactive', async () => {
    await signIn(users.smsOwner, { reuseSession: true });
    await keysPage.goto();
    await keysPage.newKey.click();
    await newKeyDialog.fill({ name, permissions: ['Trade'] });
    await newKeyDialog.create.click();
    await expect(confirmDialog.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
    await confirmDialog.submit(confirmDialog.smsCode, await outbox.latestCode('keyCreation', 'SMS'));
    await secretDialog.saved.check();
    await secretDialog.activateLater.click();
    await expect(keysPage.status(name)).toHaveText('Inactive');
    await expect(keysPage.activateButton(name)).toBeVisible();
  });
  const ownerKeyPath = (await keysPage.detailLink(name).getAttribute('href'))!;
  const keyId = ownerKeyPath.split('/').pop()!;

  const admin = await pageSignedInAs(users.admin);
  const keys = new AdminKeysPage(admin);
  const key = new AdminKeyPage(admin);
  const audit = new AdminAuditPage(admin);

  await test.step('the keys list: search by a name prefix, filter by status, and a bad sort parameter', async () => {
    // An administrator lands on the console, whose keys list is /admin/keys (old /admin links lead there).
    await admin.goto('/settings');
    await expect(admin).toHaveURL(/\/admin\/keys$/);
    await admin.goto('/admin?status=inactive');
    await expect(admin).toHaveURL(/\/admin\/keys\?status=inactive$/);
    await keys.goto();
    // "1 key" when this spec runs first in its half of the suite.
    await expect(keys.resultCount).toHaveText(/^(1 key|\d[\d,]* keys|More than 1,000 keys)$/);
    // Newest first: the key just created is on the first page.
    await expect(keys.row(name)).toBeVisible();

    const prefix = name.slice(0, -1).toLowerCase();
    await keys.filter({ search: prefix });
    await expect(admin).toHaveURL(/[?&]q=admin\+target\+/);
    await expect(keys.rows()).toHaveCount(1);
    await expect(keys.resultCount).toHaveText('1 key');
    await expect(keys.row(name)).toContainText('Borealis Markets');
    await expect(keys.row(name)).toContainText('Prime Liquidity · sms-owner@keydesk.test');
    await expect(keys.row(name)).toContainText('Read, Trade');

    // The key is inactive: not among the active keys, among the inactive ones.
    await keys.filter({ search: prefix, status: 'Active' });
    await expect(keys.noMatch).toBeVisible();
    await keys.filter({ status: 'Inactive' });
    await expect(admin).toHaveURL(/[?&]status=inactive/);
    await expect(keys.row(name)).toBeVisible();
    await expect(keys.stateBadges()).not.toHaveCount(0);
    await expect(keys.stateBadges().filter({ hasNotText: 'Inactive' })).toHaveCount(0);

    // A hand-made URL with a sort field that does not exist: a clear message, not a 500.
    const response = await admin.goto('/admin/keys?sort=name');
    expect(response?.status()).toBe(200);
    await expect(keys.paramErrors).toContainText('Sort by created, last used or last update.');
    await expect(keys.table).toHaveCount(0);
  });

  await test.step('the admin suspends the key with a reason', async () => {
    await keys.goto(`?q=${encodeURIComponent(name)}`);
    await keys.row(name).getByRole('link', { name }).click();
    await expect(key.state(name)).toHaveText('Inactive');
    await expect(key.field('Account')).toHaveText('Borealis Markets');
    await expect(key.field('Owner')).toHaveText('Sam Sms · sms-owner@keydesk.test');
    await expect(key.field('Permissions')).toHaveText('Read, Trade');

    await key.suspend.click();
    await ReasonDialog.suspend(admin, name).give(suspension);
    await expect(key.notice('The key is suspended. It stopped working at once.')).toBeVisible();
    await expect(key.state(name)).toHaveText('Suspended');
    await expect(key.banner).toContainText(`Suspended by an administrator: ${suspension}`);
    await expect(key.suspend).toHaveCount(0);
  });

  await test.step('the owner sees the reason and cannot activate the key', async () => {
    await keysPage.goto();
    await expect(keysPage.status(name)).toHaveText('Suspended');
    await expect(keysPage.row(name)).toContainText(`Suspended by an administrator: ${suspension}`);
    await expect(keysPage.activateButton(name)).toHaveCount(0);
    // Nor at the activation step's own address.
    await page.goto(`${ownerKeyPath}/activate`);
    await expect(activateDialog.dialog.getByRole('alert')).toHaveText(`Suspended by an administrator: ${suspension}`);
    await expect(activateDialog.code).toHaveCount(0);
    // The admin pages stay closed to the key's owner, even for their own key.
    for (const path of [`/admin/keys/${keyId}`, `/admin/keys/${keyId}/revoke`]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(new NotFoundPage(page).heading).toBeVisible();
    }
  });

  await test.step('the admin lifts the suspension; the owner may activate again', async () => {
    await key.liftSuspension.click();
    await expect(key.notice('The suspension is lifted.')).toBeVisible();
    await expect(key.state(name)).toHaveText('Inactive');
    await expect(key.banner).toHaveCount(0);
    await keysPage.goto();
    await expect(keysPage.status(name)).toHaveText('Inactive');
    await expect(keysPage.activateButton(name)).toBeVisible();
  });

  await test.step('the admin revokes the key for good', async () => {
    await key.revoke.click();
    await ReasonDialog.revoke(admin, name).give(revocation);
    await expect(key.notice('The key is revoked. It will never work again.')).toBeVisible();
    await expect(key.state(name)).toHaveText('Revoked');
    await expect(key.banner).toContainText(`Revoked by an administrator: ${revocation}`);
    await expect(key.suspend).toHaveCount(0);
    await expect(key.revoke).toHaveCount(0);
    await expect(key.liftSuspension).toHaveCount(0);
    // Its whole history, newest first.
    const history = key.history(name).getByRole('rowheader').locator('code');
    // In words, with the stored code under them.
    await expect(key.history(name).getByRole('rowheader').nth(0)).toContainText('API key revoked by an administrator');
    await expect(history.nth(0)).toHaveText('api_key.revoked');
    await expect(history.nth(1)).toHaveText('api_key.unsuspended');
    await expect(history.nth(2)).toHaveText('api_key.suspended');
    await expect(history.filter({ hasText: /^api_key\.created$/ })).toHaveCount(1);

    await keysPage.goto();
    await expect(keysPage.status(name)).toHaveText('Revoked');
    await expect(keysPage.row(name)).toContainText(`Revoked by an administrator: ${revocation}`);
    await expect(keysPage.activateButton(name)).toHaveCount(0);
    await keysPage.openActions(name);
    await expect(keysPage.actionLink(name, 'Edit')).toHaveCount(0);
  });

  await test.step('the audit log lists the events, filtered by action and by key', async () => {
    await key.nav.getByRole('link', { name: 'Audit log' }).click();
    await expect(audit.heading).toBeVisible();
    // The list names actions in words; the URL keeps the code.
    await audit.action.selectOption({ label: 'API key suspended by an administrator' });
    await audit.apply.click();
    await expect(admin).toHaveURL(/[?&]action=api_key\.suspended/);
    await expect(audit.actions().filter({ hasNotText: /^api_key\.suspended$/ })).toHaveCount(0);
    const suspended = audit.events('api_key.suspended').filter({ hasText: name });
    await expect(suspended).toHaveCount(1);
    await expect(suspended).toContainText('admin@keydesk.test');
    await expect(suspended).toContainText(`Reason: ${suspension}`);

    await audit.action.selectOption({ label: 'Any action' });
    await audit.keyId.fill(keyId);
    await audit.apply.click();
    await expect(admin).toHaveURL(new RegExp(`[?&]key=${keyId}`));
    await expect(audit.actions().first()).toHaveText('api_key.revoked');
    await expect(audit.events('api_key.revoked')).toContainText(`Reason: ${revocation}`);

    // A date that is not one: a clear message, not a 500.
    const response = await admin.goto('/admin/audit?from=2025-13-01');
    expect(response?.status()).toBe(200);
    await expect(audit.paramErrors).toContainText('From must be a date (YYYY-MM-DD).');
  });

  await test.step('the CSV export of those events downloads, with a header line', async () => {
    await admin.goto(`/admin/audit?key=${keyId}`);
    const downloading = admin.waitForEvent('download');
    await audit.exportCsv.click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^keydesk-audit-\d{8}-\d{6}\.csv$/);
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER);
    const rows = lines.slice(1);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row).toContain(`,${keyId},`);
    expect(rows[0]).toContain(',api_key.revoked,true,admin@keydesk.test,');
    expect(rows[0]).toContain(revocation);
    const suspendedRows = rows.filter((row) => row.includes(',api_key.suspended,'));
    expect(suspendedRows).toHaveLength(1);
    expect(suspendedRows[0]).toContain(suspension);

    // A bad filter on the export itself is refused with the reason, not a 500.
    const bad = await admin.request.get('/admin/audit/export?from=2025-13-01');
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain('From must be a date (YYYY-MM-DD).');

    // Taking the copy is itself recorded.
    await admin.goto('/admin/audit?action=audit.exported');
    await expect(audit.events('audit.exported').first()).toContainText('admin@keydesk.test');
    await expect(audit.events('audit.exported').filter({ hasText: keyId })).not.toHaveCount(0);
  });

  await test.step('the accounts list shows the owner and key counts', async () => {
    await key.nav.getByRole('link', { name: 'Accounts' }).click();
    const accounts = new AdminAccountsPage(admin);
    await expect(accounts.heading).toBeVisible();
    await expect(accounts.row('Borealis Markets')).toContainText('sms-owner@keydesk.test');
    await expect(accounts.row('Borealis Markets')).toContainText('Prime Liquidity');
  });
});

/** Every admin page, and the export, answer 404: nothing reveals that they exist. */
async function expectAdminNotFound(page: Page): Promise<void> {
  for (const path of ['/admin', '/admin/accounts', '/admin/audit', '/admin/audit?action=api_key.suspended']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(new NotFoundPage(page).heading).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Admin' })).toHaveCount(0);
  }
  for (const path of ['/admin/audit/export', '/admin/audit/export?action=api_key.suspended']) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(404);
    expect(await response.text()).toBe('Not found');
  }
}

const refused: [string, DemoUser][] = [
  ['a member of a Prime account', users.member],
  ['the owner of a Prime account', users.smsOwner],
];

for (const [who, user] of refused) {
  test(`${who} gets 404 from the admin console and its CSV export`, async ({ page, signIn }) => {
    await signIn(user, { reuseSession: true });
    await expectAdminNotFound(page);
  });
}

test('a signed-out visitor gets 404 from the admin console too, not a sign-in page', async ({ page }) => {
  await expectAdminNotFound(page);
  await expect(page).toHaveURL(/\/admin\/audit\?action=api_key\.suspended$/);
});

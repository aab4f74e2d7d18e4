import postgres from 'postgres';
import { AdminKeyPage } from './fixtures/admin-pages';
import { KeyChangeCodeDialog } from './fixtures/key-lifecycle-pages';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';
import { pageProblems, SIZES } from './support/page-checks';
import { currentRun } from './support/run-environment';
import { isPostgresRun } from './support/suites';

// A permission is called unused only after 30 days, which no run lasts: the key and the start of
// usage counting are moved 40 days back in the database, which only a database server lets a second
// process do (PGlite belongs to the app's process alone).
test.skip(!isPostgresRun(), 'backdates a key in the database: PostgreSQL run only');

/** Makes the key with this name look 40 days old, with usage counted all that time. */
async function backdate(keyName: string): Promise<void> {
  const sql = postgres(currentRun()!.serverEnv.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await sql`update api_keys set created_at = created_at - interval '40 days' where name = ${keyName}`;
    await sql`update api_usage_tracking set started_at = least(started_at, now() - interval '40 days')`;
  } finally {
    await sql.end();
  }
}

test('a money permission unused for 30 days is pointed out on the key page and removed in one 2FA-confirmed step', async ({
  page,
  signIn,
  keysPage,
  keyDetailPage,
  smsOwnerKeys,
  outbox,
  pageSignedInAs,
}) => {
  const name = uniqueKeyName('Idle payouts');
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.goto();
  await smsOwnerKeys.create(name, ['Trade', 'Funds External']);
  const keyPath = (await keysPage.detailLink(name).getAttribute('href'))!;

  // A new key is never called idle: it has not had 30 days to use what it holds.
  await page.goto(keyPath);
  await expect(keyDetailPage.heading(name)).toBeVisible();
  const box = page.getByRole('region', { name: 'Unused for 30 days: Funds External' });
  await expect(box).toHaveCount(0);

  await backdate(name);
  await page.reload();
  await expect(box).toBeVisible();
  // Only money-moving permissions are pointed out: Trade is not.
  await expect(box).toContainText('This key can move money with this permission, but no call has needed it for 30 days.');
  await expect(box.getByRole('button')).toHaveText(['Remove Funds External']);
  // Seen at a phone's width in the dark and a laptop's in the light, axe clean.
  for (const [size, scheme] of [
    [SIZES[0], 'dark'],
    [SIZES[1], 'light'],
  ] as const) {
    expect(await pageProblems(page, [keyPath], size, scheme)).toEqual([]);
    await box.screenshot({ path: test.info().outputPath(`least-privilege-${size.name}-${scheme}.png`) });
  }

  // An administrator sees it on the key's admin page; only the owner is offered the removal.
  const admin = await pageSignedInAs(users.admin);
  await admin.goto(`/admin/keys/${keyPath.split('/').pop()}`);
  await expect(new AdminKeyPage(admin).heading(name)).toBeVisible();
  await expect(admin.getByText(/^Unused for 30 days: /)).toHaveText(
    'Unused for 30 days: Funds External. The owner is offered to remove it on the key’s page.',
  );
  await expect(admin.getByRole('button', { name: 'Remove Funds External' })).toHaveCount(0);

  await box.getByRole('button', { name: 'Remove Funds External' }).click();
  const step = KeyChangeCodeDialog.edit(page, name);
  await expect(step.changes).toHaveText(['Permissions removed: Funds External']);
  await expect(step.dialog).toContainText('These changes only narrow access and apply at once.');
  await expect(step.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
  await step.submit(step.smsCode, await outbox.latestCode('keyEdit', 'SMS'));

  await expect(keysPage.notice('The changes were saved and apply at once.')).toBeVisible();
  await expect(keysPage.permissions(name)).toHaveText('Read, Trade');
  await page.goto(keyPath);
  await expect(keyDetailPage.field('Permissions')).toHaveText('Read, Trade');
  await expect(box).toHaveCount(0);
  await admin.reload();
  await expect(admin.getByText(/^Unused for 30 days: /)).toHaveCount(0);
});

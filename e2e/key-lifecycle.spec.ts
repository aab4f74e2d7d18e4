import { ConfirmKeyActionDialog, KeyChangeCodeDialog } from './fixtures/key-lifecycle-pages';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The date `days` from today (UTC), as the date input takes it; the key stops working at 00:00 UTC that day. */
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

// One key through its whole life, in one test: each step below costs the SMS owner a code, and a
// person is sent at most 20 codes per 15 minutes (the whole suite runs inside one such window).
test('an owner narrows a key (applies at once), widens it (inactive until activated again), deactivates and deletes it', async ({
  page,
  signIn,
  keysPage,
  newKeyDialog,
  confirmDialog,
  secretDialog,
  activateDialog,
  editDialog,
  keyDetailPage,
  outbox,
}) => {
  const name = uniqueKeyName('Lifecycle');
  const renamed = uniqueKeyName('Ledger sync');
  const expiresOn = daysFromNow(3);

  await test.step('create and activate a key', async () => {
    await signIn(users.smsOwner, { reuseSession: true });
    await keysPage.goto();
    await keysPage.newKey.click();
    await newKeyDialog.fill({ name, permissions: ['Trade', 'Funds Wallet'], whitelist: '203.0.113.7, 198.51.100.0/24' });
    await newKeyDialog.create.click();
    // Each code is read once the step says it was sent: sooner, the outbox may still show an older one.
    await expect(confirmDialog.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
    await confirmDialog.submit(confirmDialog.smsCode, await outbox.latestCode('keyCreation', 'SMS'));
    await secretDialog.saved.check();
    await secretDialog.activate.click();
    await expect(activateDialog.dialog).toContainText('We sent an activation code to s***@keydesk.test');
    await activateDialog.submit(await outbox.latestCode('keyActivation', 'Email'));
    await expect(keysPage.status(name)).toHaveText('Active');
    await expect(keysPage.permissions(name)).toHaveText('Read, Trade, Funds Wallet');
    await expect(keysPage.expiryBadge(name)).toHaveCount(0);
  });

  await test.step('narrow: rename, remove a permission, expire in 3 days — applies at once', async () => {
    await keysPage.chooseAction(name, 'Edit');
    await expect(editDialog.name).toHaveValue(name);
    await expect(editDialog.permission('Read')).toBeChecked();
    await expect(editDialog.permission('Read')).toBeDisabled();
    await expect(editDialog.permission('Funds Wallet')).toBeChecked();
    await expect(editDialog.whitelist).toHaveValue('203.0.113.7\n198.51.100.0/24');
    await expect(editDialog.outcome).toContainText('No changes yet.');

    await editDialog.fill({ name: renamed, uncheck: ['Funds Wallet'], expiresOn });
    // Said before saving, as the owner types.
    await expect(editDialog.outcome).toContainText('These changes only narrow access and apply at once.');
    await editDialog.save.click();

    const step = KeyChangeCodeDialog.edit(page, name);
    await expect(step.changes).toHaveText([
      `Name: ${name} → ${renamed}`,
      'Permissions removed: Funds Wallet',
      `Expires ${expiresOn} 00:00 UTC`,
    ]);
    await expect(step.dialog).toContainText('These changes only narrow access and apply at once.');
    await expect(step.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
    await step.submit(step.smsCode, await outbox.latestCode('keyEdit', 'SMS'));

    await expect(keysPage.notice('The changes were saved and apply at once.')).toBeVisible();
    await expect(keysPage.row(name)).toHaveCount(0);
    await expect(keysPage.status(renamed)).toHaveText('Active');
    await expect(keysPage.permissions(renamed)).toHaveText('Read, Trade');
    // Within 7 days of its expiry date a key is flagged, and its row highlighted.
    await expect(keysPage.expiryBadge(renamed)).toHaveText('Expires in 3 days');
    await expect(keysPage.row(renamed)).toHaveClass(/\bbg-amber-50\b/);
  });

  await test.step('widen: add a permission — the dialog warns first; the key is inactive until activated again', async () => {
    await keysPage.chooseAction(renamed, 'Edit');
    await expect(editDialog.expiresOn).toHaveValue(expiresOn);
    await editDialog.fill({ check: ['Funds Internal'] });
    const warning =
      'These changes widen access (Funds Internal added): the key will be deactivated until you activate it again with an email code.';
    await expect(editDialog.outcome).toContainText(warning);
    await editDialog.save.click();

    const step = KeyChangeCodeDialog.edit(page, renamed);
    await expect(step.changes).toHaveText(['Permissions added: Funds Internal']);
    await expect(step.dialog).toContainText(warning);
    await step.submit(step.smsCode, await outbox.latestCode('keyEdit', 'SMS'));

    await expect(
      keysPage.notice('They widen access, so the key is inactive until you activate it again with an email code.'),
    ).toBeVisible();
    await expect(keysPage.status(renamed)).toHaveText('Inactive');
    await expect(keysPage.permissions(renamed)).toHaveText('Read, Trade, Funds Internal');

    await keysPage.activateButton(renamed).click();
    await expect(activateDialog.dialog).toContainText('We sent an activation code to s***@keydesk.test');
    await activateDialog.submit(await outbox.latestCode('keyActivation', 'Email'));
    await expect(keysPage.notice('The API key is active.')).toBeVisible();
    await expect(keysPage.status(renamed)).toHaveText('Active');
  });

  await test.step('the detail page shows the key and its history', async () => {
    await keysPage.detailLink(renamed).click();
    await expect(keyDetailPage.heading(renamed)).toContainText('Active');
    await expect(keyDetailPage.heading(renamed)).toContainText('Expires in 3 days');
    await expect(keyDetailPage.field('Status')).toHaveText('Active');
    await expect(keyDetailPage.field('Permissions')).toHaveText('Read, Trade, Funds Internal');
    await expect(keyDetailPage.field('IP whitelist').getByRole('listitem')).toHaveText(['203.0.113.7', '198.51.100.0/24']);
    await expect(keyDetailPage.field('Created')).toContainText('by Sam Sms (sms-owner@keydesk.test)');
    await expect(keyDetailPage.field('Last used')).toHaveText('Never');
    await expect(keyDetailPage.field('Expiry')).toHaveText(`Expires ${expiresOn} 00:00 UTC`);

    // Newest first: the widening edit, then the narrowing one.
    const edits = keyDetailPage.historyEntries('Edited');
    await expect(edits).toHaveCount(2);
    await expect(edits.first()).toContainText('Permissions added: Funds Internal');
    await expect(edits.first()).toContainText('Widened access: the key was deactivated');
    await expect(edits.first()).toContainText('Confirmed with an SMS code');
    await expect(edits.last()).toContainText(`Name: ${name} → ${renamed}`);
    await expect(edits.last()).not.toContainText('Widened access');
    await expect(keyDetailPage.historyEntries('Activated')).toHaveCount(2);
    await expect(keyDetailPage.historyEntries('Created')).toHaveCount(1);
    await expect(keyDetailPage.historyEntries('Created')).toContainText('sms-owner@keydesk.test');

    await keyDetailPage.backToList.click();
    await expect(keysPage.heading).toBeVisible();
  });

  await test.step('deactivate, after a confirmation dialog', async () => {
    await keysPage.chooseAction(renamed, 'Deactivate');
    const dialog = ConfirmKeyActionDialog.deactivate(page, renamed);
    await expect(dialog.dialog).toContainText('The key stops working at once');
    await dialog.confirm.click();
    await expect(keysPage.notice('The API key is inactive: it stopped working at once.')).toBeVisible();
    await expect(keysPage.status(renamed)).toHaveText('Inactive');
    await keysPage.openActions(renamed);
    await expect(keysPage.actionLink(renamed, 'Deactivate')).toHaveCount(0);
    await expect(keysPage.activateButton(renamed)).toBeVisible();
  });

  await test.step('delete: a confirmation dialog, then the SMS code', async () => {
    const detailUrl = await keysPage.detailLink(renamed).getAttribute('href');
    await keysPage.chooseAction(renamed, 'Delete');
    const dialog = ConfirmKeyActionDialog.delete(page, renamed);
    await expect(dialog.dialog).toContainText('Deleting is permanent');
    await dialog.cancel.click();
    await expect(dialog.dialog).toHaveCount(0);
    await expect(keysPage.status(renamed)).toHaveText('Inactive');

    await keysPage.chooseAction(renamed, 'Delete');
    await expect(dialog.dialog).toContainText('You will confirm with a two-factor authentication code.');
    await dialog.confirm.click();
    const step = KeyChangeCodeDialog.deletion(page, renamed);
    await expect(step.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
    await step.submit(step.smsCode, await outbox.latestCode('keyDeletion', 'SMS'));

    await expect(keysPage.notice('The API key was deleted. It no longer works.')).toBeVisible();
    await expect(keysPage.row(renamed)).toHaveCount(0);
    // Its old address says what happened instead of a bare 404.
    await page.goto(detailUrl!);
    await expect(page).toHaveURL(/\/settings\/api-keys\?notice=gone$/);
    await expect(keysPage.notice('That API key no longer exists: it was deleted. Nothing was changed.')).toBeVisible();
  });
});

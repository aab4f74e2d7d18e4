import type { Page } from '@playwright/test';
import { AdminAuditPage, AdminKeyPage, ReasonDialog, StepUpPage } from './fixtures/admin-pages';
import { Outbox } from './fixtures/outbox';
import { ApiKeysPage } from './fixtures/pages';
import { ConfirmCreationDialog, NewKeyDialog, SecretDialog } from './fixtures/key-creation-dialogs';
import { ageSecondFactor } from './fixtures/sessions';
import { expect, test } from './fixtures/test';
import { nextTotpCode } from './fixtures/totp';
import { totpSecretOf, uniqueKeyName, users } from './fixtures/users';

/** The SMS owner makes an inactive key (in a browser of their own); its id. */
async function ownersKey(ownerPage: Page, name: string): Promise<string> {
  const keysPage = new ApiKeysPage(ownerPage);
  const newKey = new NewKeyDialog(ownerPage);
  const confirm = new ConfirmCreationDialog(ownerPage);
  const secret = new SecretDialog(ownerPage);
  await keysPage.goto();
  await keysPage.newKey.click();
  await newKey.fill({ name, permissions: ['Trade'] });
  await newKey.create.click();
  // The code is read once the dialog says it was sent: on PostgreSQL the outbox tab can otherwise
  // load before the create action has committed its message.
  await expect(confirm.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
  await confirm.submit(confirm.smsCode, await new Outbox(ownerPage.context()).latestCode('keyCreation', 'SMS'));
  await secret.saved.check();
  await secret.activateLater.click();
  await expect(keysPage.status(name)).toHaveText('Inactive');
  return (await keysPage.detailLink(name).getAttribute('href'))!.split('/').pop()!;
}

/** From the key's page: Suspend asks "confirm it's you" first (the code is old), then the reason, then it is done. */
async function suspendWithStepUp(admin: Page, keyId: string, name: string, reason: string): Promise<void> {
  const key = new AdminKeyPage(admin);
  const stepUp = new StepUpPage(admin);
  await admin.goto(`/admin/keys/${keyId}`);
  await key.suspend.click();
  await expect(stepUp.heading).toBeVisible();
  await expect(admin).toHaveURL(new RegExp(`/admin/step-up\\?next=${encodeURIComponent(`/admin/keys/${keyId}/suspend`)}$`));
  // A wrong code is refused and counted; the right one goes on to the suspend dialog.
  await stepUp.confirmWith('000000');
  await expect(stepUp.code).toHaveAccessibleDescription(/Incorrect code, 4 attempts left|already used/);
  await stepUp.confirmWith(await nextTotpCode(totpSecretOf(users.admin)));
  await expect(admin).toHaveURL(new RegExp(`/admin/keys/${keyId}/suspend$`));
  await ReasonDialog.suspend(admin, name).give(reason);
  await expect(key.notice('The key is suspended. It stopped working at once.')).toBeVisible();
  await expect(key.state(name)).toHaveText('Suspended');
  // Within the next 10 minutes nothing asks again: lifting goes straight through.
  await key.liftSuspension.click();
  await expect(key.notice('The suspension is lifted.')).toBeVisible();
  // The step-up is in the audit log, by the admin.
  await admin.goto('/admin/audit?action=admin.step_up');
  await expect(new AdminAuditPage(admin).events('admin.step_up').first()).toContainText('Administrator confirmed with a code');
}

test('an admin signs in with the authenticator; once the code is over 10 minutes old, Suspend first asks to confirm it’s you', async ({
  page,
  signIn,
  pageSignedInAs,
}) => {
  const name = uniqueKeyName('Step-up target');
  await signIn(users.smsOwner, { reuseSession: true });
  const keyId = await ownersKey(page, name);

  const admin = await pageSignedInAs(users.admin);
  await admin.goto('/admin');
  await expect(admin.getByRole('heading', { name: 'API keys', level: 1 })).toBeVisible();
  // Fresh from the sign-in's code: Suspend opens its dialog at once.
  await admin.goto(`/admin/keys/${keyId}/suspend`);
  await expect(ReasonDialog.suspend(admin, name).dialog).toBeVisible();

  await ageSecondFactor(admin.context(), 11);
  // The export refuses by itself too, not only behind the page's link.
  const refused = await admin.request.get('/admin/audit/export');
  expect(refused.status()).toBe(403);
  await suspendWithStepUp(admin, keyId, name, `Unusual withdrawals ${name.slice(-5)}`);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the step-up and the suspend are plain form posts', async ({ page, signIn, pageSignedInAs }) => {
    const name = uniqueKeyName('No-JS step-up');
    const owner = await pageSignedInAs(users.smsOwner, { reuseSession: true });
    const keyId = await ownersKey(owner, name);
    await signIn(users.admin);
    await ageSecondFactor(page.context(), 11);
    await suspendWithStepUp(page, keyId, name, `Plain forms ${name.slice(-5)}`);
  });
});

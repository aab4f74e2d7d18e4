import { SignInPage } from './fixtures/pages';
import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';

test('an admin disables a person: they are signed out at once and cannot sign in; enabled again, they can', async ({ pageSignedInAs }) => {
  const reason = `Account under review ${Date.now().toString(36).slice(-5)}`;
  // The person (a standard account's owner, no 2FA) in a browser of their own, signed in.
  const person = await pageSignedInAs(users.standard);
  await person.goto('/settings/profile');
  await expect(person.getByRole('heading', { level: 1 })).toBeVisible();

  const admin = await pageSignedInAs(users.admin);
  const row = admin.getByRole('table', { name: 'People' }).getByRole('row').filter({ hasText: users.standard.email });

  await test.step('the admin disables them, with a reason', async () => {
    await admin.goto('/admin/people?q=standard%40');
    await row.getByRole('link', { name: `Disable ${users.standard.email}` }).click();
    const dialog = admin.getByRole('dialog', { name: `Disable ${users.standard.email}` });
    await expect(dialog).toContainText('keep their own state');
    // The reason is required: the browser asks for it before anything is sent.
    await dialog.getByRole('button', { name: 'Disable', exact: true }).click();
    expect(await dialog.getByLabel('Reason').evaluate((el: HTMLTextAreaElement) => el.validity.valueMissing)).toBe(true);
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Reason').fill(reason);
    await dialog.getByRole('button', { name: 'Disable', exact: true }).click();
    await expect(admin.getByText('This person is disabled: every session of theirs has ended')).toBeVisible();
    await expect(row).toContainText('Disabled since');
    await expect(row).toContainText(`Reason: ${reason}`);
  });

  await test.step('the accounts list shows it on the owner’s row; the People filter finds them', async () => {
    await admin.goto('/admin/accounts?q=Delta');
    const account = admin.getByRole('table', { name: 'Accounts' }).getByRole('row').filter({ hasText: 'Delta Retail' });
    await expect(account.getByRole('link', { name: 'Owner disabled' })).toBeVisible();
    await expect(account).toContainText(`Reason: ${reason}`);
    await admin.goto('/admin/people');
    await admin.getByLabel('Only disabled people').check();
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(admin).toHaveURL(/[?&]disabled=1/);
    await expect(row).toBeVisible();
    await expect(admin.getByRole('table', { name: 'People' })).not.toContainText(users.member.email);
  });

  await test.step('their open browser is signed out at its next request, and the password no longer works', async () => {
    await person.goto('/settings/profile');
    await expect(person).toHaveURL(/\/sign-in/);
    const signIn = new SignInPage(person);
    await signIn.submitPassword(users.standard.email, users.standard.password);
    await expect(person.getByText('Incorrect email or password.')).toBeVisible();
    await expect(person).toHaveURL(/\/sign-in/);
  });

  await test.step('enabled again, they sign in', async () => {
    await admin.goto('/admin/people?q=standard%40');
    await row.getByRole('button', { name: `Enable ${users.standard.email}` }).click();
    await expect(admin.getByText('This person is enabled again: they can sign in.')).toBeVisible();
    await expect(row).not.toContainText('Disabled since');
    const signIn = new SignInPage(person);
    await signIn.goto();
    await signIn.submitPassword(users.standard.email, users.standard.password);
    await expect(person).toHaveURL(/\/settings/);
    await expect(person.getByRole('heading', { level: 1 })).toBeVisible();
  });

  await test.step('an admin has no Disable button on their own row', async () => {
    await admin.goto('/admin/people?q=admin%40');
    const own = admin.getByRole('table', { name: 'People' }).getByRole('row').filter({ hasText: users.admin.email });
    await expect(own).toBeVisible();
    await expect(own).not.toContainText('Disabled since');
    await expect(own.getByRole('link', { name: /^Disable/ })).toHaveCount(0);
  });
});

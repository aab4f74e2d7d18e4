import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';
import { aKeyOfTheSmsOwner, pageProblems, SIZES_AND_SCHEMES } from './support/page-checks';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('layout, colours and axe do not depend on the database');

/** Every admin page at 390 and 1280 px, light and dark: fits the screen; axe clean (support/page-checks.ts says at which). */
for (const { scheme, size, axe } of SIZES_AND_SCHEMES) {
  test(`admin pages fit ${size.width} px${axe ? ' and are axe clean' : ''}, ${scheme}`, async ({
    page,
    pageSignedInAs,
    signIn,
    keysPage,
    smsOwnerKeys,
  }) => {
    test.setTimeout(150_000);
    // A key's page needs a key: the seed has none.
    const keyId = (await aKeyOfTheSmsOwner({ page, signIn, keysPage, smsOwnerKeys })).split('/').pop();
    const admin = await pageSignedInAs(users.admin, { reuseSession: true });
    // The disable step of a person (the member), reached from their row on People.
    await admin.goto('/admin/people?q=member%40');
    const disablePath = await admin.getByRole('link', { name: 'Disable member@keydesk.test' }).getAttribute('href');
    expect(disablePath).toMatch(/^\/admin\/people\/[0-9a-f-]{36}\/disable$/);
    const adminPages = ['/admin/keys', `/admin/keys/${keyId}`, '/admin/accounts', '/admin/people', disablePath!, '/admin/audit'];
    expect(await pageProblems(admin, adminPages, size, scheme, { axe })).toEqual([]);
  });
}

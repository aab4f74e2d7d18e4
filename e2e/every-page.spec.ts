import { expect, test } from './fixtures/test';
import { aKeyOfTheSmsOwner, pageProblems, SIZES_AND_SCHEMES } from './support/page-checks';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('layout, colours and axe do not depend on the database');

/** Every owner page at 390 and 1280 px, light and dark: fits the screen; axe clean (support/page-checks.ts says at which). */
for (const { scheme, size, axe } of SIZES_AND_SCHEMES) {
  test(`owner pages fit ${size.width} px${axe ? ' and are axe clean' : ''}, ${scheme}`, async ({
    page,
    signIn,
    keysPage,
    smsOwnerKeys,
  }) => {
    test.setTimeout(150_000);
    const keyPath = await aKeyOfTheSmsOwner({ page, signIn, keysPage, smsOwnerKeys });
    const ownerPages = [
      '/settings/profile',
      '/settings/security',
      '/settings/notifications',
      '/settings/api-keys',
      '/settings/api-keys/deactivate-all',
      keyPath,
      `${keyPath}/edit`,
      `${keyPath}/rotate`,
      '/docs/api',
    ];
    expect(await pageProblems(page, ownerPages, size, scheme, { axe })).toEqual([]);
  });
}

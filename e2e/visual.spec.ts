import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';
import { onlyInThePgliteRun } from './support/suites';

// Pixels do not depend on the database: compared once, in the PGlite run.
onlyInThePgliteRun('screenshots are compared once: pixels do not depend on the database');

/**
 * The main screens against the reference images committed next to this file
 * (e2e/visual.spec.ts-snapshots/). A change of look fails here until the references are updated
 * on purpose: `npx playwright test e2e/visual.spec.ts --update-snapshots`, then look at the new
 * images before committing them. Whatever changes from run to run (times, random keys, how many
 * keys other specs made) is masked, and the key list is searched down to this spec's own keys.
 */
const KEYS = [
  { name: 'Visual trading bot', permissions: ['Trade'], whitelist: '203.0.113.7', activate: true },
  { name: 'Visual treasury', permissions: ['Funds Internal', 'Funds Wallet'], whitelist: '', activate: false },
];
const LIST = '/settings/api-keys?q=Visual';

const snapshot = { maxDiffPixelRatio: 0.002 };

/** Times, API keys, and the "2 of 14 keys" line whose total depends on the specs run before. */
const changing = (page: Page): Locator[] => [page.locator('main time'), page.locator('main code'), page.getByText(/^\d+ of \d+ keys$/)];

test('the key list, the new-key form, the secret step and the admin key list look as committed', async ({
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
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(users.smsOwner, { reuseSession: true });
  await page.goto(LIST);
  for (const key of KEYS) {
    // A retry finds the keys its first attempt made.
    if ((await keysPage.row(key.name).count()) > 0) continue;
    await keysPage.newKey.click();
    await newKeyDialog.fill({ name: key.name, permissions: key.permissions, whitelist: key.whitelist });
    await newKeyDialog.expiryChoice('No expiry').check();
    if (key === KEYS[0]) await expect(newKeyDialog.dialog).toHaveScreenshot('new-key-form.png', snapshot);
    await newKeyDialog.create.click();
    await confirmDialog.submit(confirmDialog.smsCode, await outbox.latestCode('keyCreation', 'SMS'));
    await secretDialog.saved.check();
    if (key === KEYS[0]) {
      await expect(secretDialog.dialog).toHaveScreenshot('secret-step.png', {
        ...snapshot,
        mask: [secretDialog.apiKey, secretDialog.apiSecret],
      });
    }
    if (key.activate) {
      await secretDialog.activate.click();
      await activateDialog.submit(await outbox.latestCode('keyActivation', 'Email'));
    } else {
      await secretDialog.activateLater.click();
    }
    await page.goto(LIST);
  }

  // Searched on the server (?q=): only this spec's keys, whatever other specs made.
  await expect(page.getByRole('table').getByRole('rowheader')).toHaveCount(KEYS.length);
  // The whole page, header included, with the first row's menu open (it hangs below the list).
  await keysPage.openActions(KEYS[1].name);
  await expect(page).toHaveScreenshot('keys-1280-light.png', { ...snapshot, mask: changing(page) });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(LIST);
  await expect(page.getByRole('main')).toHaveScreenshot('keys-390-dark.png', { ...snapshot, mask: changing(page) });
  // The search form and the cards are checked by axe here: every-page.spec.ts may see too few keys for them.
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  await page.goto(`${LIST}&status=inactive`);
  await expect(page.getByRole('table').getByRole('rowheader')).toHaveText([/^Visual treasury/]);
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveValue('inactive');
  await page.goto('/settings/api-keys?status=deleted');
  await expect(page.getByRole('combobox', { name: 'Status' })).toHaveAccessibleDescription(/^Choose one of: Active, Inactive/);

  const admin = await pageSignedInAs(users.admin);
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.goto('/admin/keys?q=Visual');
  const table = admin.getByRole('table');
  await expect(table.getByRole('rowheader')).toHaveCount(KEYS.length);
  // The API key, Created and Last update columns.
  const columns = [4, 5, 6].map((n) => table.locator(`tbody td:nth-child(${n})`));
  await expect(admin.getByRole('main')).toHaveScreenshot('admin-keys-1280-light.png', { ...snapshot, mask: columns });
});

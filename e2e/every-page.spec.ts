import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { uniqueKeyName, users } from './fixtures/users';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('layout, colours and axe do not depend on the database');

/**
 * Every owner and admin page at a phone's width and a laptop's, light and dark: nothing scrolls
 * sideways (the document is as wide as the viewport; wide tables scroll inside their own box)
 * and axe finds nothing (WCAG 2.2 AA).
 */
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

async function check(page: Page, path: string, label: string): Promise<string[]> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  const problems: string[] = [];
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (scrollWidth > innerWidth) problems.push(`${label} ${path}: ${scrollWidth - innerWidth} px wider than the screen`);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  for (const v of violations)
    problems.push(`${label} ${path}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  return problems;
}

// One test per size and scheme: each stays well inside its time limit, and a failure names its pair.
for (const scheme of SCHEMES) {
  for (const size of SIZES) {
    test(`owner and admin pages fit ${size.width} px and are axe clean, ${scheme}`, async ({
      page,
      signIn,
      keysPage,
      newKeyDialog,
      confirmDialog,
      secretDialog,
      outbox,
      pageSignedInAs,
    }) => {
      test.setTimeout(150_000);
      // A key of the owner's own, so the list and the key's page have something to show: one the
      // suite made already (the pages are the subject here, not creating keys), else a new one.
      await signIn(users.smsOwner, { reuseSession: true });
      await keysPage.goto();
      const existing = page.getByRole('table', { name: 'API keys of this account' }).getByRole('rowheader').getByRole('link').first();
      let keyPath = (await existing.count()) > 0 ? await existing.getAttribute('href') : null;
      if (!keyPath) {
        const name = uniqueKeyName('Every page');
        await keysPage.newKey.click();
        await newKeyDialog.fill({ name, permissions: ['Trade'], whitelist: '203.0.113.7' });
        await newKeyDialog.create.click();
        // Read once the dialog says it was sent: sooner, the outbox may not hold the code yet.
        await expect(confirmDialog.dialog).toContainText('We sent a 6-digit code by SMS to +15***00.');
        await confirmDialog.submit(confirmDialog.smsCode, await outbox.latestCode('keyCreation', 'SMS'));
        await secretDialog.saved.check();
        await secretDialog.activateLater.click();
        keyPath = await keysPage.detailLink(name).getAttribute('href');
      }
      expect(keyPath).toMatch(/^\/settings\/api-keys\/[0-9a-f-]{36}$/);
      const ownerPages = [
        '/settings/profile',
        '/settings/security',
        '/settings/notifications',
        '/settings/api-keys',
        '/settings/api-keys/deactivate-all',
        keyPath!,
        `${keyPath}/edit`,
        `${keyPath}/rotate`,
        '/docs/api',
      ];

      const admin = await pageSignedInAs(users.admin, { reuseSession: true });
      // The disable step of a person (the member), reached from their row on People.
      await admin.goto('/admin/people?q=member%40');
      const disablePath = await admin.getByRole('link', { name: 'Disable member@keydesk.test' }).getAttribute('href');
      expect(disablePath).toMatch(/^\/admin\/people\/[0-9a-f-]{36}\/disable$/);
      const adminPages = [
        '/admin/keys',
        `/admin/keys/${keyPath!.split('/').pop()}`,
        '/admin/accounts',
        '/admin/people',
        disablePath!,
        '/admin/audit',
      ];

      for (const p of [page, admin]) {
        await p.emulateMedia({ colorScheme: scheme });
        await p.setViewportSize({ width: size.width, height: size.height });
      }
      const label = `${size.name}/${scheme}`;
      const problems: string[] = [];
      for (const path of ownerPages) problems.push(...(await check(page, path, label)));
      for (const path of adminPages) problems.push(...(await check(admin, path, label)));
      expect(problems).toEqual([]);
    });
  }
}

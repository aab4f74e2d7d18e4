import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { ApiKeysPage } from '../fixtures/pages';
import type { SmsOwnerKeys } from '../fixtures/sms-owner-keys';
import { uniqueKeyName, users } from '../fixtures/users';

/**
 * The checks every page passes at a phone's width and a laptop's, light and dark
 * (e2e/every-page.spec.ts, e2e/every-admin-page.spec.ts): nothing scrolls sideways (the document
 * is as wide as the viewport; wide tables scroll inside their own box), at each of the four; and
 * axe finds nothing (WCAG 2.2 AA) at the phone in dark and the laptop in light.
 *
 * Why axe at two of the four: contrast depends on the scheme and layout on the width, so the two
 * cover each scheme's colours and each width's elements; axe is most of the suite's time on two
 * cores (1–6 s a page), and CI must stay under 20 minutes.
 */
export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
export const SCHEMES = ['light', 'dark'] as const;

export type Size = (typeof SIZES)[number];
export type Scheme = (typeof SCHEMES)[number];

/** Every size and scheme pair, and whether axe runs there: one test each keeps each inside its time limit and names its pair. */
export const SIZES_AND_SCHEMES = SCHEMES.flatMap((scheme) =>
  SIZES.map((size) => ({ scheme, size, axe: (size.name === 'phone') === (scheme === 'dark') })),
);

/** The problems of each page at this size and scheme, as lines that say where; none when all is well. */
export async function pageProblems(page: Page, paths: string[], size: Size, scheme: Scheme, { axe = true } = {}): Promise<string[]> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.setViewportSize({ width: size.width, height: size.height });
  const label = `${size.name}/${scheme}`;
  const problems: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    if (scrollWidth > innerWidth) problems.push(`${label} ${path}: ${scrollWidth - innerWidth} px wider than the screen`);
    if (!axe) continue;
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    for (const v of violations) {
      problems.push(`${label} ${path}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  return problems;
}

interface KeyMaking {
  page: Page;
  signIn: (user: typeof users.smsOwner, opts: { reuseSession: true }) => Promise<void>;
  keysPage: ApiKeysPage;
  smsOwnerKeys: SmsOwnerKeys;
}

/**
 * The path of a key of the SMS owner's own, so a key's pages have something to show: one the suite
 * made already (the pages are the subject here, not creating keys), else a new one.
 */
export async function aKeyOfTheSmsOwner({ page, signIn, keysPage, smsOwnerKeys }: KeyMaking): Promise<string> {
  await signIn(users.smsOwner, { reuseSession: true });
  await keysPage.goto();
  const existing = page.getByRole('table', { name: 'API keys of this account' }).getByRole('rowheader').getByRole('link').first();
  let keyPath = (await existing.count()) > 0 ? await existing.getAttribute('href') : null;
  if (!keyPath) {
    const name = uniqueKeyName('Every page');
    await smsOwnerKeys.create(name, ['Trade']);
    keyPath = await keysPage.detailLink(name).getAttribute('href');
  }
  expect(keyPath).toMatch(/^\/settings\/api-keys\/[0-9a-f-]{36}$/);
  return keyPath!;
}

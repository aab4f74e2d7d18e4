import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures/test';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('a static page: layout and axe do not depend on the database');

/**
 * The API documentation on a phone: everything fits the width (long code scrolls inside its own
 * box or wraps), and the page has no WCAG 2.2 AA violation axe can find.
 */
test.use({ viewport: { width: 360, height: 780 } });

test('/docs/api does not scroll sideways at 360 px and is axe clean', async ({ page }) => {
  await page.goto('/docs/api');
  await expect(page.getByRole('heading', { name: 'API documentation', level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

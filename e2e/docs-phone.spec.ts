import { expect, test } from './fixtures/test';

/** The API documentation on a phone: everything fits the width; long code scrolls inside its own box. */
test.use({ viewport: { width: 360, height: 780 } });

test('/docs/api does not scroll sideways at 360 px', async ({ page }) => {
  await page.goto('/docs/api');
  await expect(page.getByRole('heading', { name: 'API documentation', level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
});

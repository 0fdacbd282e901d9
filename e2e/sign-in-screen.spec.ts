import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { serveDirectory } from './support/static-server';

test('the built renderer opens on the Butterfly sign-in screen', async ({ page }) => {
  const server = await serveDirectory(join(import.meta.dirname, '..', 'out', 'renderer'));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.setViewportSize({ width: 360, height: 640 });
    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'Sign in to Butterfly' })).toBeVisible();
    await expect(page.getByLabel('E-mail address')).toBeVisible();
    await expect(page.getByLabel('Password')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    await page.screenshot({ path: join(import.meta.dirname, '..', 'artifacts', 'screenshots', 'sign-in.png') });
    expect(errors).toEqual([]);
  } finally {
    await server.close();
  }
});

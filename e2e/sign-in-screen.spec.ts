import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS } from '../src-shared/connection-settings';
import { startBrowserMode } from '../src-main/shell/browser-main';

const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');
const screenshots = join(import.meta.dirname, '..', 'artifacts', 'screenshots');

test('browser mode opens on the Butterfly sign-in screen, connected to main through the bridge', async ({ page }) => {
  const bridge = await startBrowserMode({ rendererDir, settings: DEFAULT_CONNECTION_SETTINGS, dataDir: mkdtempSync(join(tmpdir(), 'bf-e2e-')), log: () => undefined });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.setViewportSize({ width: 360, height: 640 });
    await page.goto(bridge.url);
    await expect(page.getByRole('heading', { name: 'Sign in to Butterfly' })).toBeVisible();
    await expect(page.getByLabel('E-mail address')).toBeVisible();
    await expect(page.getByLabel('Password')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    await expect(page.getByText(/^Butterfly \d+\.\d+\.\d+ · browser mode$/)).toBeVisible();
    // The token must not linger in the address bar.
    expect(page.url()).not.toContain('token');
    await page.screenshot({ path: join(screenshots, 'sign-in.png') });
    expect(errors).toEqual([]);
  } finally {
    await bridge.close();
  }
});

test('without the bridge token the page says plainly that it has no session with main', async ({ page }) => {
  const bridge = await startBrowserMode({ rendererDir, settings: DEFAULT_CONNECTION_SETTINGS, dataDir: mkdtempSync(join(tmpdir(), 'bf-e2e-')), log: () => undefined });
  try {
    await page.goto(bridge.url.replace(/#token=.*/, ''));
    await expect(page.getByRole('alert')).toHaveText(/has no session with Butterfly’s background service/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  } finally {
    await bridge.close();
  }
});

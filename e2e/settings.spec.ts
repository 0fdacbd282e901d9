// The connection settings dialog end to end: browser mode on the test server, a real dante SOCKS5 proxy with a user
// name and password. The route is tested before saving, saved, used by the sign-in, and shown to be in the path
// (the proxy dying drops the connection).
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS } from '../src-shared/connection-settings';
import { startBrowserMode } from '../src-main/shell/browser-main';
import type { BrowserBridge } from '../src-main/ipc/browser-bridge';
import { startTestServer, type TestServer } from './msn-server';
import { startProxy, type RunningProxy } from './proxies';

const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');
const screenshots = join(import.meta.dirname, '..', 'artifacts', 'screenshots');

let server: TestServer;
let bridge: BrowserBridge;
let proxy: RunningProxy | undefined;

test.beforeEach(async () => {
  server = await startTestServer();
  bridge = await startBrowserMode({
    rendererDir,
    settings: { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl },
    dataDir: mkdtempSync(join(tmpdir(), 'bf-e2e-settings-')),
    log: () => undefined,
  });
});

test.afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await bridge.close();
  await server.stop();
});

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Connection settings…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Server host')).toHaveValue('127.0.0.1');
  return dialog;
}

test('a SOCKS5 proxy with a password: tested, saved, used to sign in, and in the path', async ({ page }) => {
  proxy = await startProxy('dante-socks5-auth');
  await page.setViewportSize({ width: 420, height: 800 });
  await page.goto(bridge.url);
  let dialog = await openSettings(page);
  await expect(dialog.getByLabel('Server port')).toHaveValue(String(server.ns.port));

  await dialog.getByLabel('Connect', { exact: true }).selectOption('socks5');
  await dialog.getByLabel('Proxy host').fill('127.0.0.1');
  await dialog.getByLabel('Proxy port').fill(String(proxy.port));
  await dialog.getByLabel('User name (optional)').fill(proxy.username ?? '');
  await dialog.getByLabel('Proxy password').fill('not-the-password');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByRole('status', { name: 'Connection test' });
  await expect(result).toContainText('The connection test failed');
  await expect(result.getByRole('listitem').filter({ hasText: 'Handshake with the proxy' })).toContainText('Failed:');

  await dialog.getByLabel('Proxy password').fill(proxy.password ?? '');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toContainText('Everything answered');
  await expect(result.getByRole('listitem').filter({ hasText: 'Exchange VER with the MSN server' })).toContainText('Passed:');
  await page.screenshot({ path: join(screenshots, 'settings.png') });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  // Saved: shown again without the password, with where it is kept.
  dialog = await openSettings(page);
  await expect(dialog.getByLabel('Connect', { exact: true })).toHaveValue('socks5');
  await expect(dialog.getByLabel('Proxy password')).toHaveValue('');
  await expect(dialog.getByLabel('Proxy password')).toHaveAttribute('placeholder', 'saved; type to replace');
  await expect(dialog.getByText('kept only until Butterfly quits')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByLabel('E-mail address').fill('alice@example.com');
  await page.getByLabel('Password').fill('alicepass');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();

  await proxy.kill();
  await expect(page.getByRole('status').filter({ hasText: 'Connection lost' })).toBeVisible();
});

test('settings that cannot work are refused field by field, and nothing is saved', async ({ page }) => {
  await page.goto(bridge.url);
  const dialog = await openSettings(page);
  await dialog.getByLabel('Server host').fill('');
  await dialog.getByLabel('Server port').fill('18a63');
  await dialog.getByLabel('Connect', { exact: true }).selectOption('http-proxy');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Enter the MSN server host name or address.')).toBeVisible();
  await expect(dialog.getByText('The MSN server port must be a whole number from 1 to 65535.')).toBeVisible();
  await expect(dialog.getByText('Enter the proxy host name or address.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const again = await openSettings(page);
  await expect(again.getByLabel('Connect', { exact: true })).toHaveValue('direct');
});

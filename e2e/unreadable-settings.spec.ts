// Finding 5 as a person meets it: a SOCKS5 proxy was saved, then settings.json got cut short. The sign-in screen says
// the settings could not be read and waits — Sign in stays off, nothing reaches the server — until the person opens
// the settings (and saves) or chooses the defaults. Browser mode on the test server.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS, SETTINGS_UNREADABLE_MESSAGE, type ConnectionSettings } from '../src-shared/connection-settings';
import { startBrowserMode } from '../src-main/shell/browser-main';
import type { BrowserBridge } from '../src-main/ipc/browser-bridge';
import { startTestServer, type TestServer } from './msn-server';

const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');
const screenshots = join(import.meta.dirname, '..', 'artifacts', 'screenshots');

let server: TestServer;
let bridge: BrowserBridge;
let dataDir: string;

test.beforeEach(async () => {
  server = await startTestServer();
  const defaults: ConnectionSettings = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
  dataDir = mkdtempSync(join(tmpdir(), 'bf-e2e-unreadable-'));
  const saved = JSON.stringify({ format: 1, settings: { ...defaults, transport: 'socks5', proxy: { host: '127.0.0.1', port: 1080, username: 'me' } } }, null, 2);
  writeFileSync(join(dataDir, 'settings.json'), saved.slice(0, saved.length / 2), { mode: 0o600 });
  bridge = await startBrowserMode({ rendererDir, settings: defaults, dataDir, log: () => undefined });
});

test.afterEach(async () => {
  await bridge.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function fillAccount(page: Page) {
  await page.getByLabel('E-mail address').fill('alice@example.com');
  await page.getByLabel('Password').fill('alicepass');
}

test('sign-in waits for a choice; Use defaults lets it go ahead directly', async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 720 });
  await page.goto(bridge.url);
  const notice = page.getByRole('alert').filter({ hasText: SETTINGS_UNREADABLE_MESSAGE });
  await expect(notice).toBeVisible();
  await expect(page.getByText(/^The file was kept as settings\.json\.unreadable-\d+ in Butterfly’s data folder\.$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  await page.screenshot({ path: join(screenshots, 'settings-unreadable.png') });

  // Enter in the password field does not sign in either: nothing reaches the server.
  await fillAccount(page);
  await page.getByLabel('Password').press('Enter');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  expect(server.transcripts()).toHaveLength(0);

  // Looking at the settings and cancelling is not a choice.
  await page.getByRole('button', { name: 'Open settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Connect', { exact: true })).toHaveValue('direct');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(notice).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();

  await page.getByRole('button', { name: 'Use defaults' }).click();
  await expect(notice).toBeHidden();
  await fillAccount(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  expect(server.transcripts().length).toBeGreaterThan(0);
});

test('Open settings and Save: the notice goes, the new file is written, the unreadable copy stays', async ({ page }) => {
  await page.goto(bridge.url);
  await page.getByRole('button', { name: 'Open settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Server port')).toHaveValue(String(server.ns.port));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(SETTINGS_UNREADABLE_MESSAGE)).toBeHidden();
  expect(readdirSync(dataDir).filter((f) => f.startsWith('settings.json')).sort()).toEqual(['settings.json', expect.stringMatching(/^settings\.json\.unreadable-\d+$/)]);
  expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).settings.transport).toBe('direct');

  await fillAccount(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
});

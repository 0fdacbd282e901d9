// Browser mode's session end to end in Debian's Chromium: the printed address's one-time token becomes a session
// cookie, which keeps a signed-in page working across a reload (F5) and in a second tab; another browser with the
// same address is refused, and so is the old page once the service has restarted — each with a message that says so.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../src-shared/connection-settings';
import type { MessengerService } from '../src-main/service/messenger-service';
import { createAppService } from '../src-main/shell/app-service';
import { startBrowserMode } from '../src-main/shell/browser-main';
import type { BrowserBridge } from '../src-main/ipc/browser-bridge';
import { startTestServer, type TestServer } from './msn-server';

const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');
const dataDir = () => mkdtempSync(join(tmpdir(), 'bf-e2e-session-'));

let server: TestServer;
let bridge: BrowserBridge;
let settings: ConnectionSettings;
let bob: MessengerService | undefined;

test.beforeEach(async () => {
  server = await startTestServer();
  settings = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
  bridge = await startBrowserMode({ rendererDir, settings, dataDir: dataDir(), log: () => undefined });
});

test.afterEach(async () => {
  bob?.dispose();
  bob = undefined;
  await bridge.close();
  await server.stop();
});

const contact = (page: Page, nickname: string) => page.getByRole('treeitem', { name: new RegExp(`^${nickname}, `) });
const noSession = /has no session with Butterfly’s background service/;

test('signed in, the page survives a reload and a second tab shares the session; both keep working', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(bridge.url);
  await page.getByLabel('E-mail address').fill('alice@example.com');
  await page.getByLabel('Password').fill('alicepass');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  // The token left the address bar; the session cookie is out of the page's reach (HttpOnly).
  expect(page.url()).not.toContain('token');
  expect(await page.evaluate(() => document.cookie)).toBe('');

  // F5: the page comes back on the same session, still signed in, and events still arrive.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  bob = createAppService({ settings, dataDir: dataDir() });
  const { accountId: bobId } = await bob.signIn({ email: 'bob@example.com', password: 'bobpass' });
  await expect(contact(page, 'Bob')).toContainText('Online');
  // ... and commands still reach main.
  await page.getByRole('button', { name: /^My status: / }).click();
  await page.getByRole('menuitemradio', { name: 'Busy' }).click();
  await expect(page.getByRole('button', { name: 'My status: Busy' })).toBeVisible();

  // A second tab of the same browser, at the address without its token: the same session, the same signed-in state.
  const second = await context.newPage();
  await second.goto(new URL(bridge.url).origin);
  await expect(second.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  await expect(second.getByRole('button', { name: 'My status: Busy' })).toBeVisible();
  await bob.calls['messenger:set-status']({ accountId: bobId, status: 'AWY' });
  await expect(contact(second, 'Bob')).toContainText('Away');
  await expect(contact(page, 'Bob')).toContainText('Away');

  // Signing out from the second tab shows in the first: one service behind both.
  await second.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Butterfly' })).toBeVisible();
  await expect(page.getByText(/^Butterfly \d+\.\d+\.\d+ · browser mode$/)).toBeVisible();
  expect(errors).toEqual([]);
});

test('the printed address is good for one browser: another one is told it has no session', async ({ page, browser }) => {
  await page.goto(bridge.url);
  await expect(page.getByText(/· browser mode$/)).toBeVisible();
  const other = await browser.newContext();
  try {
    const stranger = await other.newPage();
    await stranger.goto(bridge.url);
    await expect(stranger.getByRole('alert')).toHaveText(noSession);
    await expect(stranger.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  } finally {
    await other.close();
  }
  // The first browser's page is unaffected.
  await page.reload();
  await expect(page.getByText(/· browser mode$/)).toBeVisible();
});

test('after the service restarts, the old page is told its session ended, and the new address works', async ({ page }) => {
  await page.goto(bridge.url);
  await expect(page.getByText(/· browser mode$/)).toBeVisible();
  const { port } = bridge;
  await bridge.close();
  bridge = await startBrowserMode({ rendererDir, settings, dataDir: dataDir(), port, log: () => undefined });
  await page.reload();
  await expect(page.getByRole('alert')).toHaveText(noSession);
  await page.goto(bridge.url);
  await expect(page.getByText(/· browser mode$/)).toBeVisible();
});

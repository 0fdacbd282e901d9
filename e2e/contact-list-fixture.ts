// What the contact-list specs, `npm run screenshots` and the renderer benchmark share: the test server with a list of
// any size, browser mode on the built renderer, other people as real clients (services signed in from this process),
// and the sign-in as a person does it. Screenshots go to artifacts/screenshots, or to BUTTERFLY_SCREENSHOTS when set
// (`npm run screenshots` points it at docs/screenshots).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../src-shared/connection-settings';
import type { MessengerService } from '../src-main/service/messenger-service';
import { createAppService } from '../src-main/shell/app-service';
import { startBrowserMode } from '../src-main/shell/browser-main';
import type { BrowserBridge } from '../src-main/ipc/browser-bridge';
import { startTestServer, type TestServer, type TestServerOptions } from './msn-server';
export { bigList } from './big-list';

export const rendererDir = join(import.meta.dirname, '..', 'out', 'renderer');

export interface App {
  server: TestServer;
  bridge: BrowserBridge;
  settings: ConnectionSettings;
  /** Someone else signing in from this process; disposed by close(). */
  signInOther(email: string, password: string): Promise<Other>;
  close(): Promise<void>;
}

export interface Other {
  service: MessengerService;
  accountId: string;
}

export async function startApp(options: TestServerOptions = {}): Promise<App> {
  const server = await startTestServer(options);
  const settings: ConnectionSettings = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
  const bridge = await startBrowserMode({ rendererDir, settings, dataDir: mkdtempSync(join(tmpdir(), 'bf-e2e-list-')), log: () => undefined });
  const others: MessengerService[] = [];
  let closed = false;
  return {
    server,
    bridge,
    settings,
    async signInOther(email, password) {
      const service = createAppService({ settings, dataDir: mkdtempSync(join(tmpdir(), 'bf-e2e-other-')) });
      others.push(service);
      const { accountId } = await service.signIn({ email, password });
      return { service, accountId };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const s of others.splice(0)) s.dispose();
      await bridge.close();
      await server.stop();
    },
  };
}

/** Signs in the way a person does, and waits for the list. */
export async function signIn(page: Page, app: App, email = 'alice@example.com', password = 'alicepass'): Promise<void> {
  // The printed address's token is good once: a page that has the session already stays where it is.
  if (!page.url().startsWith(new URL(app.bridge.url).origin)) await page.goto(app.bridge.url);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A loaded machine can take a while over a big list's sync.
  await expect(page.getByRole('tree', { name: 'Contacts' })).toBeVisible({ timeout: 30_000 });
}

/** A contact's row (the tree item whose name starts with the nickname). */
export const contactRow = (page: Page, nickname: string) => page.getByRole('treeitem', { name: new RegExp(`^${escapeRegExp(nickname)}, `) });
/** A section header: a group ("Friends, 1 of 2 online"), or "Offline, 3". */
export const sectionRow = (page: Page, name: string) => page.getByRole('treeitem', { name: new RegExp(`^${escapeRegExp(name)}, \\d`) });

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const screenshotDir = process.env.BUTTERFLY_SCREENSHOTS ?? join(import.meta.dirname, '..', 'artifacts', 'screenshots');

/** A screenshot for the README (with BUTTERFLY_SCREENSHOTS) or for looking at after a run. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // The pointer out of the way: no hover highlight or tooltip from wherever the last click was.
  await page.mouse.move(0, 0);
  // Let the caret and any transition settle; the picture should not depend on timing.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** The name of the section a contact's row is drawn under ("Friends", "Offline"). */
export function sectionOf(row: Locator): Promise<string> {
  return row.evaluate((element) => {
    const key = element.getAttribute('data-key') ?? '';
    const header = element.parentElement?.querySelector(`[data-key="s:${CSS.escape(key.slice(0, key.indexOf('/')))}"]`);
    return header?.getAttribute('aria-label')?.replace(/, \d.*$/, '') ?? '';
  });
}

/** Picks one's own status from the status menu. */
export async function chooseStatus(page: Page, status: string): Promise<void> {
  await page.getByRole('button', { name: /^My status: / }).click();
  await page.getByRole('menuitemradio', { name: status }).click();
  await expect(page.getByRole('button', { name: `My status: ${status}` })).toBeVisible();
}

/**
 * axe on what the page shows now: no serious or critical violation, and no colour contrast axe could not decide
 * (text over an image or a gradient): those count as failures too, since a person cannot read what axe cannot check.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const failures = [
    ...result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    ...result.incomplete.filter((v) => v.id === 'color-contrast'),
  ].map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(' | ')}`);
  expect(failures, `axe on ${what}`).toEqual([]);
}

// What the conversation specs share: a person chatting through the test server, with their own browser-mode service
// (on a data directory of their own) and their own browser context, signed in the way a person does it; what the page
// did that it must not (requests off its origin, script errors, console errors), each written down; the message box
// and the flow.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../src-shared/connection-settings';
import type { BrowserBridge } from '../src-main/ipc/browser-bridge';
import { startBrowserMode } from '../src-main/shell/browser-main';
import { rendererDir, signIn } from './contact-list-fixture';
import type { TestServer } from './msn-server';

export interface ChatPerson {
  bridge: BrowserBridge;
  context: BrowserContext;
  page: Page;
  /** Requests the page made anywhere but its own origin (data: URLs aside): a message must never cause one. */
  foreign: string[];
  /** Script errors on the page. */
  pageErrors: string[];
  /** Console errors (a refused media load shows as one). */
  consoleErrors: string[];
}

export interface ChatPersonOptions {
  /** The service's data directory; a new temporary one when not given. */
  dataDir?: string;
  /** The new temporary directory's name prefix. */
  tempPrefix?: string;
  /** Run in every page of the person's context before the page's own scripts. */
  initScript?: () => void;
}

/** The settings that reach the test server. */
export const serverSettings = (server: TestServer): ConnectionSettings => ({ ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl });

export async function startChatPerson(browser: Browser, server: TestServer, email: string, password: string, options: ChatPersonOptions = {}): Promise<ChatPerson> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), options.tempPrefix ?? 'bf-e2e-chat-'));
  const bridge = await startBrowserMode({ rendererDir, settings: serverSettings(server), dataDir, log: () => undefined });
  const context = await browser.newContext();
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  const person: ChatPerson = { bridge, context, page, foreign: [], pageErrors: [], consoleErrors: [] };
  const origin = new URL(bridge.url).origin;
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) person.foreign.push(r.url());
  });
  page.on('pageerror', (e) => person.pageErrors.push(`pageerror: ${e.stack ?? e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') person.consoleErrors.push(`console: ${m.text()}`);
  });
  await signInAs(person, email, password);
  return person;
}

/** Signs the person in on their page (again, after a sign-out). */
export const signInAs = (person: ChatPerson, email: string, password: string): Promise<void> =>
  signIn(person.page, { bridge: person.bridge } as Parameters<typeof signIn>[1], email, password);

export async function closeChatPerson(person: ChatPerson | undefined): Promise<void> {
  await person?.context.close();
  await person?.bridge.close();
}

export const messageInput = (page: Page) => page.getByRole('textbox', { name: 'Type a message' });
export const messageFlow = (page: Page) => page.getByRole('list', { name: 'Messages' });

/** Types `text` in the message box, sends it with Enter, and waits for it in the page's own flow. */
export async function send(page: Page, text: string): Promise<void> {
  await messageInput(page).fill(text);
  await messageInput(page).press('Enter');
  await expect(messageFlow(page).getByText(text, { exact: true }).last()).toBeVisible();
}

// The renderer end to end: Debian's Chromium on browser mode's bridge, the same main-process service as the desktop
// app, signing in to the project's MSN test server over real sockets. Other people are real clients too: services
// signed in from this process as bob and carol.
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
const screenshots = join(import.meta.dirname, '..', 'artifacts', 'screenshots');

let server: TestServer;
let bridge: BrowserBridge;
let settings: ConnectionSettings;
const others: MessengerService[] = [];

test.beforeEach(async () => {
  server = await startTestServer();
  settings = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
  bridge = await startBrowserMode({ rendererDir, settings, dataDir: mkdtempSync(join(tmpdir(), 'bf-e2e-')), log: () => undefined });
});

test.afterEach(async () => {
  for (const s of others.splice(0)) s.dispose();
  await bridge.close();
  await server.stop();
});

/** Someone else, signed in from this process with a service of their own; `calls` are that account's. */
async function signInOther(email: string, password: string) {
  const service = createAppService({ settings, dataDir: mkdtempSync(join(tmpdir(), 'bf-e2e-other-')) });
  others.push(service);
  const { accountId } = await service.signIn({ email, password });
  return { service, accountId };
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(bridge.url);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const contact = (page: Page, group: string, nickname: string) => page.getByRole('region', { name: group }).getByRole('listitem').filter({ hasText: nickname });

test('signs in, shows groups and presence, and follows a contact coming online, changing name and leaving', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, 'alice@example.com', 'alicepass');

  // Own nickname decoded from the wire once; bob in "Friends", offline.
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  await expect(contact(page, 'Friends', 'Bob')).toContainText('Offline');

  const bob = await signInOther('bob@example.com', 'bobpass');
  await expect(contact(page, 'Friends', 'Bob')).toContainText('Online');
  await bob.service.calls['messenger:set-status']({ accountId: bob.accountId, status: 'BSY' });
  await expect(contact(page, 'Friends', 'Bob')).toContainText('Busy');
  // Typed as plain text by bob; encoded once by bob's main, decoded once by alice's renderer.
  await bob.service.calls['messenger:set-nickname']({ accountId: bob.accountId, nickname: 'Bob ✿ 100% sure' });
  await expect(contact(page, 'Friends', 'Bob ✿ 100% sure')).toContainText('Busy');
  await page.screenshot({ path: join(screenshots, 'contact-list.png') });

  await bob.service.calls['messenger:sign-out']({ accountId: bob.accountId });
  await expect(contact(page, 'Friends', 'Bob ✿ 100% sure')).toContainText('Offline');

  // Alice's own changes go through the same service: a nickname typed with spaces and a '%'.
  await page.getByRole('button', { name: 'Alice ✿ Ünïcødé' }).click();
  await page.getByLabel('Nickname').fill('Alice 50% away');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Alice 50% away' })).toBeVisible();
  await page.getByLabel('My status').selectOption('AWY');
  await expect(page.getByLabel('My status')).toHaveValue('AWY');
  expect(server.state.account('alice@example.com')).toMatchObject({ nickname: 'Alice 50% away' });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Butterfly' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a wrong password is reported on the sign-in screen and the password field is cleared', async ({ page }) => {
  await signIn(page, 'alice@example.com', 'not-her-password');
  await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is not right.');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByLabel('E-mail address')).toHaveValue('alice@example.com');
});

test('someone adding you asks whether to allow them, and adding them back puts them in the list', async ({ page }) => {
  await signIn(page, 'alice@example.com', 'alicepass');
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  const carol = await signInOther('carol@example.com', 'carolpass');
  await carol.service.calls['contacts:add']({ accountId: carol.accountId, email: 'alice@example.com' });

  const prompt = page.getByRole('dialog', { name: 'carol@example.com added you' });
  await expect(prompt).toBeVisible();
  await prompt.getByRole('button', { name: 'Allow' }).click();
  await expect(prompt).toBeHidden();
  await expect(contact(page, 'Other Contacts', 'carol@example.com')).toContainText('Online');
});

test('a refused list change is shown and rolled back', async ({ page }) => {
  await signIn(page, 'alice@example.com', 'alicepass');
  await expect(contact(page, 'Friends', 'Bob')).toBeVisible();
  await page.getByLabel('Add a contact by e-mail address').fill('nobody-here@example.com');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('alert')).toContainText('The server refused ADD (error 205');
  await expect(page.getByRole('listitem').filter({ hasText: 'nobody-here@example.com' })).toHaveCount(0);
});

test('groups and contacts are managed from the list: new group, rename, move, block, unblock, remove', async ({ page }) => {
  await signIn(page, 'alice@example.com', 'alicepass');
  await expect(contact(page, 'Friends', 'Bob')).toBeVisible();

  // A group name typed with spaces, a '%' and non-ASCII text arrives back decoded exactly.
  await page.getByLabel('New group name').fill('Work ✿ 100%');
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('region', { name: 'Work ✿ 100%' })).toBeVisible();

  await page.getByLabel('Actions for Bob').click();
  await page.getByLabel('Move Bob to').selectOption({ label: 'Work ✿ 100%' });
  await expect(contact(page, 'Work ✿ 100%', 'Bob')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Friends' }).getByRole('listitem')).toHaveCount(0);

  await page.getByLabel('Actions for group Work ✿ 100%').click();
  await page.getByRole('button', { name: 'Rename group' }).click();
  await page.getByLabel('New name for Work ✿ 100%').fill('Colleagues');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(contact(page, 'Colleagues', 'Bob')).toBeVisible();

  await page.getByLabel('Actions for Bob').click();
  await page.getByRole('button', { name: 'Block' }).click();
  await expect(contact(page, 'Colleagues', 'Bob')).toContainText('Blocked');
  await page.getByLabel('Actions for Bob').click();
  await page.getByRole('button', { name: 'Unblock' }).click();
  await expect(contact(page, 'Colleagues', 'Bob')).toContainText('Offline');

  await page.getByLabel('Actions for Bob').click();
  await page.getByRole('button', { name: 'Remove from contacts' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Bob' })).toHaveCount(0);
  await page.getByLabel('Actions for group Colleagues').click();
  await page.getByRole('button', { name: 'Remove group' }).click();
  await expect(page.getByRole('region', { name: 'Colleagues' })).toHaveCount(0);

  // What the server stored is what the screen showed.
  const account = server.state.account('alice@example.com');
  expect(account?.groups.map((g) => g.name)).not.toContain('Colleagues');
  expect(account?.contacts.find((c) => c.email === 'bob@example.com')?.lists ?? []).not.toContain('FL');
});

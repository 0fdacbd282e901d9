// Conversations surviving a reload, end to end in Debian's Chromium through browser mode against the test server:
// alice chats with bob, carol's message arrives with no view open, alice reloads — the tabs come back, the one she
// had shown with its messages, carol's with its unread badge (the service's count) — and sending still works; a new
// page of the same session shows the same conversations with none chosen; and a conversation window's address
// shows that one conversation alone. Also Options → Appearance keeps what a message arriving does (a main setting).
import { expect, test, type Page } from '@playwright/test';
import type { MessengerEvent } from '../src-shared/messenger-types';
import { expectAccessible, signIn, startApp, type App, type Other } from './contact-list-fixture';
import { defaultTestAccounts, type AccountSpec } from './msn-server';

let app: App;
let bob: Other;
let carol: Other;
/** The texts bob's service received. */
const bobGot: string[] = [];

/** The test server's accounts, with carol and alice on each other's lists. */
function accounts(): AccountSpec[] {
  const [alice, bob, carol] = defaultTestAccounts();
  alice!.contacts = [...(alice!.contacts ?? []), { email: 'carol@example.com', lists: ['FL', 'AL', 'RL'], groups: [0] }];
  return [alice!, bob!, { ...carol!, nickname: 'Carol', contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL', 'RL'], groups: [0] }] }];
}

test.beforeEach(async () => {
  app = await startApp({ accounts: accounts() });
  bob = await app.signInOther('bob@example.com', 'bobpass');
  carol = await app.signInOther('carol@example.com', 'carolpass');
  bobGot.length = 0;
  bob.service.onEvent((e: MessengerEvent) => {
    if (e.type === 'message' && e.message.direction === 'in' && e.message.kind === 'text') bobGot.push(e.message.text);
  });
});
test.afterEach(async () => {
  await app?.close();
});

const input = (page: Page) => page.getByRole('textbox', { name: 'Type a message' });
const flow = (page: Page) => page.getByRole('list', { name: 'Messages' });
const tab = (page: Page, name: RegExp) => page.getByRole('tab', { name });

/** Someone alice has no view open with sends her a message (from their own service, as a real client). */
async function says(who: Other, text: string): Promise<void> {
  const { conversationId } = await who.service.calls['conversations:open']({ accountId: who.accountId, email: 'alice@example.com' });
  await who.service.calls['conversations:send-text']({ accountId: who.accountId, conversationId, text });
}

async function chatThenCarol(page: Page): Promise<void> {
  await signIn(page, app);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.getByRole('treeitem', { name: /^Bob, / }).dblclick();
  await input(page).fill('Before the reload ✿');
  await input(page).press('Enter');
  await expect(flow(page).getByLabel('Delivered')).toBeVisible();
  await expect.poll(() => bobGot).toContain('Before the reload ✿');
  await says(bob, 'Bob answers');
  await expect(flow(page).getByText('Bob answers')).toBeVisible();
  // carol writes while alice reads bob: a tab with its unread badge, not shown.
  await says(carol, 'Carol was here');
  await expect(tab(page, /Carol/)).toBeVisible();
  await expect(tab(page, /Carol/).getByLabel('1 unread message')).toBeVisible();
  await expect(tab(page, /Bob/)).toHaveAttribute('aria-selected', 'true');
  expect(errors).toEqual([]);
}

test('after a reload the tabs, the shown conversation with its messages and the unread badge are back, and sending still works', async ({ page }) => {
  await chatThenCarol(page);
  await page.reload();
  await expect(page.getByRole('tree', { name: 'Contacts' })).toBeVisible({ timeout: 30_000 });

  await expect(tab(page, /Bob/)).toHaveAttribute('aria-selected', 'true');
  await expect(flow(page).getByText('Before the reload ✿')).toBeVisible();
  await expect(flow(page).getByText('Bob answers')).toBeVisible();
  await expect(flow(page).getByLabel('Delivered')).toBeVisible();
  await expect(tab(page, /Carol/).getByLabel('1 unread message')).toBeVisible();

  await input(page).fill('After the reload');
  await input(page).press('Enter');
  await expect(flow(page).getByLabel('Delivered')).toHaveCount(2);
  await expect.poll(() => bobGot).toContain('After the reload');

  // carol's conversation, read now: its message is there and the badge goes (the service marked it read).
  await tab(page, /Carol/).click();
  await expect(flow(page).getByText('Carol was here')).toBeVisible();
  await expect(tab(page, /Carol/).getByLabel('1 unread message')).toHaveCount(0);
  await page.reload();
  await expect(tab(page, /Carol/)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel(/unread message/)).toHaveCount(0);
});

test('a new page of the same session shows the same conversations with none chosen; a conversation window’s address shows only it', async ({ page, context }) => {
  await chatThenCarol(page);
  const origin = new URL(app.bridge.url).origin;
  const second = await context.newPage();
  await second.goto(`${origin}/`);
  await expect(tab(second, /Bob/)).toBeVisible({ timeout: 30_000 });
  await expect(tab(second, /Carol/).getByLabel('1 unread message')).toBeVisible();
  await expect(second.getByText('Choose a conversation above.')).toBeVisible();

  // What a desktop conversation window loads: the view in the fragment. Here, only that conversation, no list.
  const conversationId = (await tab(page, /Bob/).getAttribute('id'))!.replace(/^tab-/, '');
  // alice's account id: the key the page kept its shown tab under.
  const key = await page.evaluate(() => Object.keys(sessionStorage).find((k) => k.startsWith('butterfly.active-tab.')));
  const accountId = key!.slice('butterfly.active-tab.'.length);
  const window = await context.newPage();
  await window.goto(`${origin}/#view=conversation&account=${accountId}&conversation=${conversationId}`);
  await expect(flow(window).getByText('Bob answers')).toBeVisible({ timeout: 30_000 });
  await expect(window.getByRole('tree', { name: 'Contacts' })).toHaveCount(0);
  await expect(window.getByRole('tab')).toHaveCount(0);
  await expect(window).toHaveTitle(/Conversation with Bob/);
  await expectAccessible(window, 'a conversation window');
  await input(window).fill('From the conversation window');
  await input(window).press('Enter');
  await expect.poll(() => bobGot).toContain('From the conversation window');
  // The list's page follows (the same account's events).
  await expect(flow(page).getByText('From the conversation window')).toBeVisible();

  // A search result chosen in the list: main tells the window the message in a new fragment, and it shows it there,
  // highlighted and focused; a window opened at a message does the same as it loads.
  const answer = flow(window).locator('[data-message-id]').filter({ hasText: 'Bob answers' });
  const messageId = await answer.getAttribute('data-message-id');
  await window.evaluate((id) => (location.hash = `${location.hash.slice(1)}&message=${id}`), messageId);
  await expect(flow(window).locator('[data-highlight]')).toHaveText(/Bob answers/);
  await expect(flow(window).locator('[data-highlight]')).toBeFocused();
  const opened = await context.newPage();
  await opened.goto(`${origin}/#view=conversation&account=${accountId}&conversation=${conversationId}&message=${messageId}`);
  await expect(flow(opened).locator('[data-highlight]')).toHaveText(/Bob answers/, { timeout: 30_000 });
});

test('Options → Appearance: what a message arriving does is main’s setting, kept across a reload', async ({ page }) => {
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Appearance' }).click();
  const group = page.getByRole('group', { name: 'When a message arrives' });
  await expect(group.getByRole('radio', { name: /Open the conversation window/ })).toBeChecked();
  await expect(group).toHaveAccessibleDescription(/This choice is for the desktop app/);
  await expectAccessible(page, 'Options → Appearance with the message-arrival choice');
  await group.getByRole('radio', { name: /Only let me know/ }).check();
  await page.reload();
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Appearance' }).click();
  await expect(page.getByRole('group', { name: 'When a message arrives' }).getByRole('radio', { name: /Only let me know/ })).toBeChecked();
});

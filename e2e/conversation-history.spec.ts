// The conversation history end to end in Debian's Chromium: alice's history is a real SQLite file, filled by an
// earlier run of her app — 300 messages with bob and a few with carol, chatted through the test server by the app's
// own service — and her app (browser mode) then starts on it. She chats with bob through the test server, reloads the page, scrolls back to the oldest
// stored message; searches this conversation and all of them, and each result jumps to its message (opening carol's
// conversation for one in it); hostile stored text stays text; with history turned off the flow and search say so.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { MessengerEvent } from '../src-shared/messenger-types';
import { createAppService } from '../src-main/shell/app-service';
import { closeChatPerson, messageFlow as flow, messageInput as input, serverSettings, startChatPerson, type ChatPerson } from './chat-fixture';
import { contactRow, expectAccessible } from './contact-list-fixture';
import { defaultTestAccounts, startTestServer, type TestServer } from './msn-server';

let server: TestServer;
let alice: ChatPerson;
let bob: ChatPerson;
const aliceData = mkdtempSync(join(tmpdir(), 'bf-e2e-history-'));
const SEEDED = 300;
const HOSTILE = '<img src=x onerror="window.__pwned=1"> quokka <script>window.__pwned=2</script>';

test.describe.configure({ mode: 'serial' });

/**
 * An earlier run of alice's app on `aliceData`: bob (two messages in three) and alice chat `count` lines, then carol
 * writes a few; each is waited for on alice's side, so her history holds them in this order. The services are closed.
 */
async function earlierRun(count: number, line: (i: number) => string, carolLines: string[]) {
  const settings = serverSettings(server);
  const [a, b, c] = [aliceData, mkdtempSync(join(tmpdir(), 'bf-e2e-history-bob-')), mkdtempSync(join(tmpdir(), 'bf-e2e-history-carol-'))].map((dataDir) => createAppService({ settings, dataDir }));
  try {
    const [alice, bob, carol] = await Promise.all([
      a.signIn({ email: 'alice@example.com', password: 'alicepass' }),
      b.signIn({ email: 'bob@example.com', password: 'bobpass' }),
      c.signIn({ email: 'carol@example.com', password: 'carolpass' }),
    ]).then((ids) => ids.map((r) => r.accountId));
    /** Sends `text` and waits until alice has it (received, or delivered to the other side). */
    const say = async (service: typeof a, accountId: string, to: string, text: string) => {
      const arrived = new Promise<void>((resolve) => {
        const sub = a.onEvent((e: MessengerEvent) => {
          const there = service === a ? e.type === 'message-state' && e.state === 'delivered' && e.accountId === alice : e.type === 'message' && e.accountId === alice && e.message.text === text;
          if (!there) return;
          sub.dispose();
          resolve();
        });
      });
      const { conversationId } = await service.calls['conversations:open']({ accountId, email: to });
      await service.calls['conversations:send-text']({ accountId, conversationId, text });
      await arrived;
    };
    for (let i = 0; i < count; i++) await (i % 3 === 2 ? say(a, alice as string, 'bob@example.com', line(i)) : say(b, bob as string, 'alice@example.com', line(i)));
    for (const text of carolLines) await say(c, carol as string, 'alice@example.com', text);
    await a.flush();
  } finally {
    for (const s of [a, b, c]) s.dispose();
  }
}

test.beforeAll(async ({ browser }) => {
  // Carol and alice on each other's lists too.
  const accounts = defaultTestAccounts();
  accounts[0]?.contacts?.push({ email: 'carol@example.com', lists: ['FL', 'AL', 'RL'] });
  Object.assign(accounts[2] ?? {}, { nickname: 'Carol', contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL', 'RL'] }] });
  server = await startTestServer({ accounts });
  await earlierRun(SEEDED, (i) => (i === 7 ? 'older message 7 about the quokka' : i === 8 ? HOSTILE : `older message ${i}`), ['carol line 1', 'carol saw a wombat', 'carol line 3']);
  alice = await startChatPerson(browser, server, 'alice@example.com', 'alicepass', { dataDir: aliceData });
  bob = await startChatPerson(browser, server, 'bob@example.com', 'bobpass', { tempPrefix: 'bf-e2e-history-bob-' });
});

test.afterAll(async () => {
  await closeChatPerson(alice);
  await closeChatPerson(bob);
  await server?.stop();
});

const scroller = (page: Page) => page.locator('.flow-scroll');

/** Scrolls the flow to its top until `text` is drawn (each time at the top loads an older page). */
async function scrollBackTo(page: Page, text: string) {
  await expect
    .poll(
      async () => {
        await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
        return flow(page).getByText(text, { exact: true }).count();
      },
      { timeout: 20_000, intervals: [100, 200, 300] },
    )
    .toBe(1);
}

test('chat, reload the page, and scroll back through the stored conversation to its first message', async () => {
  await contactRow(alice.page, 'Bob').dblclick();
  // The newest stored messages are there at once, under nothing live yet.
  await expect(flow(alice.page).getByText(`older message ${SEEDED - 1}`, { exact: true })).toBeVisible();
  await input(alice.page).fill('hello again, Bob');
  await input(alice.page).press('Enter');
  await bob.page.getByRole('tab', { name: /Alice/ }).click();
  await input(bob.page).fill('hi Alice, live reply');
  await input(bob.page).press('Enter');
  await expect(flow(alice.page).getByText('hi Alice, live reply')).toBeVisible();

  await alice.page.reload();
  await expect(alice.page.getByRole('tree', { name: 'Contacts' })).toBeVisible({ timeout: 30_000 });
  await contactRow(alice.page, 'Bob').dblclick();
  // The live messages and the stored ones, each once (the history has the live ones too).
  await expect(flow(alice.page).getByText('hi Alice, live reply')).toBeVisible();
  await expect(flow(alice.page).getByText('hello again, Bob')).toHaveCount(1);
  await expect(flow(alice.page).getByText(`older message ${SEEDED - 1}`, { exact: true })).toHaveCount(1);
  // Virtualised: a few dozen items drawn, not hundreds.
  expect(await flow(alice.page).locator(':scope > li').count()).toBeLessThan(80);

  await scrollBackTo(alice.page, 'older message 0');
  await expect(flow(alice.page).getByText('older message 0', { exact: true })).toBeVisible();
  // Scrolled up, a new message does not pull the view down: a button offers to go there.
  await input(bob.page).fill('while you read the past');
  await input(bob.page).press('Enter');
  const jump = alice.page.getByRole('button', { name: 'New messages ↓' });
  await expect(jump).toBeVisible();
  await expect(flow(alice.page).getByText('older message 0', { exact: true })).toBeVisible();
  await jump.click();
  await expect(flow(alice.page).getByText('while you read the past')).toBeVisible();
  await expect(jump).toHaveCount(0);
  expect([...alice.foreign, ...alice.pageErrors]).toEqual([]);
});

test('search this conversation: results with the match marked, hostile text as text; Enter jumps to the message', async () => {
  await alice.page.getByRole('button', { name: 'Search this conversation' }).click();
  const field = alice.page.getByRole('searchbox', { name: 'Search this conversation' });
  await expect(field).toBeFocused();
  await field.fill('quokka');
  const results = alice.page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('button')).toHaveCount(2);
  await expect(alice.page.getByText('2 messages found')).toBeVisible();
  await expect(results.locator('mark').first()).toHaveText('quokka');
  // The stored markup is shown as it was typed: no element made of it, no script run.
  await expect(results.getByText(/<img src=x onerror=/)).toBeVisible();
  await expect(results.locator('img, script')).toHaveCount(0);
  await expectAccessible(alice.page, 'the search in a conversation');

  // Escape closes the search and gives focus back to its button.
  await field.press('Escape');
  await expect(field).toHaveCount(0);
  await expect(alice.page.getByRole('button', { name: 'Search this conversation' })).toBeFocused();

  await alice.page.keyboard.press('Enter');
  await field.fill('quokka');
  await expect(results.getByRole('button')).toHaveCount(2);
  await field.press('ArrowDown');
  // Newest first: the hostile one (message 8), then message 7.
  await alice.page.keyboard.press('Tab');
  await expect(results.getByRole('button').nth(1)).toBeFocused();
  await alice.page.keyboard.press('Enter');
  const found = flow(alice.page).locator('[data-highlight]');
  await expect(found).toHaveText(/older message 7 about the quokka/);
  await expect(found).toBeFocused();
  await expect(found).toBeInViewport();
  await expect(field).toHaveCount(0);
  // Far from the newest: the way back is offered, and paging down from here joins the live messages again.
  await alice.page.getByRole('button', { name: 'Newest messages ↓' }).click();
  await expect(flow(alice.page).getByText('while you read the past')).toBeVisible();
  expect(await alice.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('search all conversations from the contact list: a result in another conversation opens it at the message', async () => {
  await alice.page.getByRole('button', { name: 'Search message history' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'Search message history' });
  const field = dialog.getByRole('searchbox', { name: 'Search message history' });
  await expect(field).toBeFocused();
  await field.fill('wombat');
  const result = dialog.getByRole('list', { name: 'Search results' }).getByRole('button');
  await expect(result).toHaveCount(1);
  await expect(result).toContainText('with Carol');
  await expectAccessible(alice.page, 'the history search dialog');
  await result.focus();
  await alice.page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(alice.page.getByRole('tab', { name: /carol/i, selected: true })).toBeVisible();
  const found = flow(alice.page).locator('[data-highlight]');
  await expect(found).toHaveText(/carol saw a wombat/);
  await expect(found).toBeFocused();
  await expectAccessible(alice.page, 'a conversation at a search result');
});

test('history off: the flow says messages are not kept, and search says only this session’s can be found', async () => {
  await alice.page.getByRole('button', { name: 'Options' }).click();
  const settings = alice.page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: 'Privacy' }).click();
  await settings.getByLabel('Keep my message history on this computer').click();
  await expect(settings.getByLabel('Keep my message history on this computer')).not.toBeChecked();
  await settings.getByRole('button', { name: 'Close' }).click();
  const notice = alice.page.getByRole('note');
  await expect(notice).toHaveText('History is off: these messages are not kept after Butterfly closes.');
  await alice.page.getByRole('button', { name: 'Search this conversation' }).click();
  await expect(alice.page.getByText('History is off: only messages from this session can be found.')).toBeVisible();
  await alice.page.keyboard.press('Escape');
  // On again: the notice goes.
  await alice.page.getByRole('button', { name: 'Options' }).click();
  await settings.getByRole('tab', { name: 'Privacy' }).click();
  await settings.getByLabel('Keep my message history on this computer').click();
  await settings.getByRole('button', { name: 'Close' }).click();
  await expect(notice).toHaveCount(0);
  expect([...alice.foreign, ...alice.pageErrors]).toEqual([]);
});

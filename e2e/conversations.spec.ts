// Conversation views end to end in Debian's Chromium: two people, each in their own browser context with their own
// browser-mode service, signed in to the test server, chatting both ways through real switchboards — text, emoticons,
// typing, nudges, delivery states with Retry after a NAK, a message with no view open, hostile text shown as text,
// a keyboard-only journey, and axe on the conversation view.
import { expect, test } from '@playwright/test';
import { closeChatPerson, messageFlow as flow, messageInput as input, startChatPerson, type ChatPerson } from './chat-fixture';
import { contactRow, expectAccessible, shot } from './contact-list-fixture';
import { startTestServer, type TestServer } from './msn-server';

let server: TestServer;
let alice: ChatPerson;
let bob: ChatPerson;

// One conversation carried from test to test: each step starts where the one before left it.
test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  server = await startTestServer();
  alice = await startChatPerson(browser, server, 'alice@example.com', 'alicepass');
  bob = await startChatPerson(browser, server, 'bob@example.com', 'bobpass');
});

test.afterAll(async () => {
  for (const p of [alice, bob]) await closeChatPerson(p);
  await server?.stop();
});

test('chatting both ways: non-ASCII text, emoticons typed and picked, typing, nudges, a tab with its unread badge', async () => {
  await contactRow(alice.page, 'Bob').dblclick();
  await expect(input(alice.page)).toBeFocused();
  await input(alice.page).fill('Olá, Bob! Ünïcødé ✿ 日本語 :)');
  await input(alice.page).press('Enter');
  const sent = flow(alice.page).getByText('Olá, Bob! Ünïcødé ✿ 日本語');
  await expect(sent).toBeVisible();
  await expect(flow(alice.page).getByRole('img', { name: ':)' })).toBeVisible();
  await expect(flow(alice.page).getByLabel('Delivered').first()).toBeVisible();

  // Bob had no view open: a tab appears with its unread badge, and he is not taken away from his list.
  const tab = bob.page.getByRole('tab', { name: /Alice/ });
  await expect(tab).toBeVisible();
  await expect(bob.page.getByLabel('1 unread message')).toBeVisible();
  await tab.click();
  await expect(flow(bob.page).getByText('Olá, Bob! Ünïcødé ✿ 日本語')).toBeVisible();
  await expect(flow(bob.page).getByRole('img', { name: ':)' })).toBeVisible();
  // Seen: the service's unread count goes to zero.
  await expect(bob.page.getByLabel('1 unread message')).toHaveCount(0);

  // Typing, then a reply with an emoticon from the picker and a new line (Shift+Enter).
  await input(bob.page).pressSequentially('Oi');
  await expect(alice.page.getByText(/is typing…/)).toBeVisible();
  await bob.page.getByRole('button', { name: 'Emoticons' }).click();
  await bob.page.getByRole('button', { name: 'Insert (Y)' }).click();
  await expect(input(bob.page)).toBeFocused();
  await input(bob.page).press('Shift+Enter');
  await input(bob.page).pressSequentially('segunda linha');
  await input(bob.page).press('Enter');
  await expect(flow(alice.page).getByRole('img', { name: '(Y)' })).toBeVisible();
  await expect(flow(alice.page).getByText(/segunda linha/)).toBeVisible();
  await expect(alice.page.getByText(/is typing…/)).toHaveCount(0);

  // Nudges both ways.
  await alice.page.getByRole('button', { name: 'Nudge' }).click();
  await expect(flow(bob.page).getByText(/sent you a nudge/)).toBeVisible();
  await bob.page.getByRole('button', { name: 'Nudge' }).click();
  await expect(flow(alice.page).getByText(/sent you a nudge/)).toBeVisible();
  // Once more at once: the service's limit, said in plain words, and nothing sent.
  await alice.page.getByRole('button', { name: 'Nudge' }).click();
  await expect(alice.page.getByRole('alert')).toHaveText('You nudged a moment ago: wait a few seconds before nudging again.');
  await expect(flow(bob.page).getByText(/sent you a nudge/)).toHaveCount(1);
  await shot(bob.page, 'conversation');
});

test('a message the server answers NAK is shown as not delivered with its reason, and Retry delivers it', async () => {
  server.faults.set({ nakMessages: 1 });
  await input(alice.page).fill('this one bounces');
  await input(alice.page).press('Enter');
  const failed = alice.page.getByText('Not delivered', { exact: true });
  await expect(failed).toBeVisible();
  await expect(failed).toHaveAttribute('title', 'The server could not deliver it.');
  await shot(alice.page, 'conversation-failed');
  server.faults.reset();
  await alice.page.getByRole('button', { name: 'Retry' }).click();
  await expect(failed).toHaveCount(0);
  await expect(flow(bob.page).getByText('this one bounces')).toBeVisible();
});

test('hostile text stays text: no markup, no script run, no request made, javascript: links are not links', async () => {
  const hostile = [
    '<img src=x onerror="window.__pwned=1">',
    '<script>window.__pwned=2</script>',
    'javascript:window.__pwned=3',
    'color: url(http://127.0.0.2/x)',
    'https://example.test/ok',
  ];
  for (const text of hostile) {
    await input(bob.page).fill(text);
    await input(bob.page).press('Enter');
    await expect(flow(alice.page).getByText(text, { exact: true })).toBeVisible();
  }
  expect(await alice.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(flow(alice.page).locator('img:not(.emoticon), script')).toHaveCount(0);
  // Only the http(s) URLs are links (the one inside "url(…)" too, as text: no style ever sees it); nothing was fetched.
  const links = flow(alice.page).getByRole('link');
  expect(await links.evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')]))).toEqual([
    ['http://127.0.0.2/x', 'noopener noreferrer', '_blank'],
    ['https://example.test/ok', 'noopener noreferrer', '_blank'],
  ]);
  expect([...alice.foreign, ...alice.pageErrors]).toEqual([]);
});

/** A switchboard MSG from bob to alice, as a server relays it, with the headers and body given. */
function rawMessage(nickname: string, headers: string, body: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from(`MIME-Version: 1.0\r\n${headers}\r\n\r\n`, 'latin1'), body]);
  return Buffer.concat([Buffer.from(`MSG bob@example.com ${nickname} ${payload.length}\r\n`, 'latin1'), payload]);
}

test('a hostile font and colour never reach a style; KOI8-R and ISO-8859-1 text are shown right; an unknown charset is marked', async () => {
  const hostileFormat = 'X-MMS-IM-Format: FN=x%22%3B%20background%3Aurl(http%3A%2F%2F127.0.0.2%2Ff); EF=B; CO=url(http://127.0.0.2/c); CS=0; PF=22';
  const koi8 = Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]);
  server.faults.sendRawSb('alice@example.com', rawMessage('%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', `Content-Type: text/plain; charset=KOI8-R\r\n${hostileFormat}`, koi8));
  const russian = flow(alice.page).getByText('Привет', { exact: true });
  await expect(russian).toBeVisible();
  const style = await russian.evaluate((p) => [p.getAttribute('style') ?? '', getComputedStyle(p).backgroundImage]);
  expect(style[0]).not.toContain('url');
  expect(style[1]).toBe('none');
  // ISO-8859-1 said, and a plain-text message saying no charset at all (read as ISO-8859-1): right, and not marked.
  server.faults.sendRawSb('alice@example.com', rawMessage('Bob', 'Content-Type: text/plain; charset=ISO-8859-1', Buffer.from('Olá, señor', 'latin1')));
  server.faults.sendRawSb('alice@example.com', rawMessage('Bob', 'Content-Type: text/plain', Buffer.from('Ça va, très bien', 'latin1')));
  for (const text of ['Olá, señor', 'Ça va, très bien']) {
    const shown = flow(alice.page).locator('.message').filter({ has: alice.page.getByText(text, { exact: true }) });
    await expect(shown).toBeVisible();
    await expect(shown.locator('.charset-marker')).toHaveCount(0);
  }
  server.faults.sendRawSb('alice@example.com', rawMessage('Bob', 'Content-Type: text/plain; charset=X-NO-SUCH-CHARSET', Buffer.from([0x63, 0x61, 0x66, 0xe9])));
  await expect(flow(alice.page).getByText('café', { exact: true })).toBeVisible();
  await expect(flow(alice.page).getByText('Unknown character set')).toBeVisible();
  await expect(flow(alice.page).locator('img:not(.emoticon)')).toHaveCount(0);
  expect([...alice.foreign, ...alice.pageErrors]).toEqual([]);
});

test('keyboard only: from the list to sending a message and reading the reply', async () => {
  await alice.page.getByRole('button', { name: 'Close conversation' }).click();
  await contactRow(alice.page, 'Bob').focus();
  await alice.page.keyboard.press('Enter');
  await expect(input(alice.page)).toBeFocused();
  await alice.page.keyboard.type('by keyboard');
  await alice.page.keyboard.press('Enter');
  await expect(flow(bob.page).getByText('by keyboard')).toBeVisible();
  await input(bob.page).fill('reply to keyboard');
  await input(bob.page).press('Enter');
  // The reply is announced in the live region and in the flow.
  await expect(alice.page.locator('[aria-live="polite"]').getByText(/reply to keyboard/)).toBeAttached();
  await expect(flow(alice.page).getByText('reply to keyboard')).toBeVisible();
});

test('axe finds nothing serious on the conversation view, with the picker open and in dark mode', async () => {
  await expectAccessible(alice.page, 'the conversation view');
  await alice.page.getByRole('button', { name: 'Emoticons' }).click();
  await expectAccessible(alice.page, 'the emoticon picker');
  await alice.page.keyboard.press('Escape');
  await expect(input(alice.page)).toBeFocused();
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(alice.page, 'the conversation view in dark mode');
  await shot(alice.page, 'conversation-dark');
  await alice.page.emulateMedia({ colorScheme: 'light' });
});

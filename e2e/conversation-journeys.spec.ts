// The conversation journeys beyond chatting both ways (conversations.spec.ts), in Debian's Chromium: three people,
// each in their own browser context with their own browser-mode service, signed in to the test server. A message
// arriving while another conversation is being written in; Send again after the switchboard dropped before the ACK;
// the reconnect banner after the NS connection is cut, with a message queued meanwhile and delivered after recovery;
// and a three-party chat with Invite, a server drop of one participant and a leave, each said in the flow.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { closeChatPerson, messageFlow as flow, messageInput as input, send, startChatPerson, type ChatPerson } from './chat-fixture';
import { contactRow, shot } from './contact-list-fixture';
import { startTestServer, type AccountSpec, type TestServer } from './msn-server';

let server: TestServer;
let alice: ChatPerson;
let bob: ChatPerson;
let carol: ChatPerson;

/** Three people on each other's lists (so any of them can invite the others), and Dave, who never signs in. */
function accounts(): AccountSpec[] {
  const people = ['alice', 'bob', 'carol', 'dave'];
  return people.map((name) => ({
    email: `${name}@example.com`,
    password: `${name}pass`,
    nickname: name[0].toUpperCase() + name.slice(1),
    contacts: people.filter((other) => other !== name).map((other) => ({ email: `${other}@example.com`, lists: ['FL', 'AL'] })),
  }));
}

const person = (browser: Browser, name: string) => startChatPerson(browser, server, `${name}@example.com`, `${name}pass`, { tempPrefix: 'bf-e2e-journey-' });

// One story carried from test to test: each step starts where the one before left it.
test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  server = await startTestServer({ accounts: accounts() });
  alice = await person(browser, 'alice');
  bob = await person(browser, 'bob');
  carol = await person(browser, 'carol');
});

test.afterEach(() => {
  // Script errors on the page: none may happen.
  for (const p of [alice, bob, carol]) expect(p?.pageErrors ?? []).toEqual([]);
});

test.afterAll(async () => {
  for (const p of [alice, bob, carol]) await closeChatPerson(p);
  expect(server?.state.internalErrors() ?? []).toEqual([]);
  await server?.stop();
});

const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}\\b`) });

test('a message with no view open adds its tab with the unread badge, and the conversation being written in keeps the focus', async () => {
  // Bob is writing to Carol when Alice's first message arrives.
  await contactRow(bob.page, 'Carol').dblclick();
  await expect(input(bob.page)).toBeFocused();
  await input(bob.page).pressSequentially('half a thought');
  await contactRow(alice.page, 'Bob').dblclick();
  await send(alice.page, 'hello Bob');

  await expect(tab(bob.page, 'Alice')).toBeVisible();
  await expect(tab(bob.page, 'Alice').getByLabel('1 unread message')).toBeVisible();
  // Nothing moved: Carol's conversation is still the one shown, with the focus and the draft where they were.
  await expect(tab(bob.page, 'Carol')).toHaveAttribute('aria-selected', 'true');
  await expect(tab(bob.page, 'Alice')).toHaveAttribute('aria-selected', 'false');
  await expect(input(bob.page)).toBeFocused();
  await expect(input(bob.page)).toHaveValue('half a thought');
  await expect(flow(bob.page).getByText('hello Bob')).toHaveCount(0);

  await tab(bob.page, 'Alice').click();
  await expect(flow(bob.page).getByText('hello Bob', { exact: true })).toBeVisible();
  await expect(bob.page.getByLabel('1 unread message')).toHaveCount(0);
});

test('the switchboard drops after a message went out but before its ACK: unconfirmed with its reason, and Send again delivers it once more', async () => {
  // The server relays the message but never acknowledges it; then Alice's switchboard connection drops.
  server.faults.set({ dropAck: true });
  await send(alice.page, 'did this arrive?');
  await expect(flow(bob.page).getByText('did this arrive?', { exact: true })).toHaveCount(1);
  await expect(flow(alice.page).getByText('Sent', { exact: true })).toBeVisible();
  expect(server.faults.kickSwitchboards('alice@example.com')).toBe(1);

  const unconfirmed = flow(alice.page).getByText('Maybe not delivered', { exact: true });
  await expect(unconfirmed).toBeVisible();
  await expect(unconfirmed).toHaveAttribute('title', 'The connection dropped before the server confirmed it; it may or may not have arrived.');
  server.faults.reset();
  await flow(alice.page).getByRole('button', { name: 'Send again' }).click();

  // A new switchboard carries it: Bob has it twice (it had arrived), Alice sees it delivered, once.
  await expect(flow(bob.page).getByText('did this arrive?', { exact: true })).toHaveCount(2);
  await expect(unconfirmed).toHaveCount(0);
  await expect(flow(alice.page).getByText('did this arrive?', { exact: true })).toHaveCount(1);
  await expect(flow(alice.page).getByRole('img', { name: 'Delivered' })).toHaveCount(2);
});

test('the NS connection is cut: the list says it is reconnecting, a message written meanwhile waits, and after recovery it is delivered in the same conversation', async () => {
  // The network goes: every connection of Alice's drops, and her reconnects fail until the server lets her back.
  server.faults.set({ dropAt: { command: 'VER' } });
  server.faults.kickSwitchboards('alice@example.com');
  expect(server.faults.kickNs('alice@example.com')).toBe(1);
  const banner = alice.page.getByRole('status').filter({ hasText: /^(Connection lost: .* Trying again in|Reconnecting…)/ });
  await expect(banner).toContainText(/^Connection lost: The server closed the connection\. Trying again in \d+ sec/);

  await input(alice.page).fill('written while offline');
  await input(alice.page).press('Enter');
  const waiting = flow(alice.page).getByText('Waiting to send', { exact: true });
  await expect(waiting).toBeVisible();
  // The server lets her back in: the next attempt (the backoff's first delays are a few seconds) gets through.
  await expect(banner).toBeVisible();
  server.faults.reset();
  await expect(banner).toHaveCount(0, { timeout: 20_000 });

  await expect(waiting).toHaveCount(0, { timeout: 10_000 });
  await expect(tab(alice.page, 'Bob')).toHaveAttribute('aria-selected', 'true');
  await expect(flow(alice.page).getByText('hello Bob', { exact: true })).toBeVisible();
  await expect(flow(bob.page).getByText('written while offline', { exact: true })).toHaveCount(1);
  await expect(flow(alice.page).getByRole('img', { name: 'Delivered' })).toHaveCount(3);
});

test('three people: Alice invites Carol, all three chat, the server drops Carol, she is invited again and leaves, someone offline cannot be invited; each said in the flow', async () => {
  await alice.page.getByRole('button', { name: 'Invite…' }).click();
  await alice.page.getByLabel('E-mail address to invite').fill('carol@example.com');
  await alice.page.getByRole('button', { name: 'Invite', exact: true }).click();
  const inIt = (page: Page) => page.getByRole('list', { name: 'In this conversation' });
  await expect(inIt(alice.page)).toContainText('Carol');
  await expect(inIt(alice.page)).toContainText('Bob');
  await expect(inIt(bob.page)).toContainText('Carol');

  await send(alice.page, 'hello both of you');
  await expect(flow(bob.page).getByText('hello both of you', { exact: true })).toBeVisible();
  await tab(carol.page, 'Alice, Bob').click();
  await expect(flow(carol.page).getByText('hello both of you', { exact: true })).toBeVisible();
  await send(carol.page, 'hi, Carol here');
  await expect(flow(alice.page).getByText('hi, Carol here', { exact: true })).toBeVisible();
  await expect(flow(bob.page).getByText('hi, Carol here', { exact: true })).toBeVisible();
  await send(bob.page, 'Bob too');
  await expect(flow(alice.page).getByText('Bob too', { exact: true })).toBeVisible();
  await expect(flow(carol.page).getByText('Bob too', { exact: true })).toBeVisible();
  await shot(alice.page, 'conversation-multi-party');

  // The server drops Carol (BYE carol 1): said as a disconnection, not as her leaving.
  expect(server.faults.timeOutOfSwitchboards('carol@example.com')).toBe(1);
  for (const p of [alice, bob]) {
    await expect(flow(p.page).getByText('Carol was disconnected by the server.', { exact: true })).toBeVisible();
    await expect(flow(p.page).getByText('Carol left the conversation.', { exact: true })).toHaveCount(0);
    await expect(inIt(p.page)).not.toContainText('Carol');
  }

  // Invited again, she joins; then she closes the conversation herself (BYE carol): a leave.
  await alice.page.getByRole('button', { name: 'Invite…' }).click();
  await alice.page.getByLabel('E-mail address to invite').fill('carol@example.com');
  await alice.page.getByRole('button', { name: 'Invite', exact: true }).click();
  for (const p of [alice, bob]) await expect(flow(p.page).getByText('Carol joined the conversation.', { exact: true })).toBeVisible();
  await send(alice.page, 'welcome back');
  await expect(carol.page.getByRole('tab', { name: /^Alice, Bob/ }).last()).toBeVisible();
  await carol.page.getByRole('tab', { name: /^Alice, Bob/ }).last().click();
  await expect(flow(carol.page).getByText('welcome back', { exact: true })).toBeVisible();
  await carol.page.getByRole('button', { name: 'Close conversation' }).click();
  for (const p of [alice, bob]) {
    await expect(flow(p.page).getByText('Carol left the conversation.', { exact: true })).toBeVisible();
    await expect(inIt(p.page)).not.toContainText('Carol');
  }

  // Someone offline cannot be invited: said in the flow, and the conversation goes on.
  await alice.page.getByRole('button', { name: 'Invite…' }).click();
  await alice.page.getByLabel('E-mail address to invite').fill('dave@example.com');
  await alice.page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(flow(alice.page).getByText('Dave could not be invited: That person is offline, or appears offline.', { exact: true })).toBeVisible();
  // Said once, in the flow: the form closes and no banner repeats it.
  await expect(alice.page.getByLabel('E-mail address to invite')).toHaveCount(0);
  await expect(alice.page.getByRole('alert').filter({ hasText: 'offline' })).toHaveCount(0);
  await expect(inIt(alice.page)).not.toContainText('Dave');

  // Alice and Bob go on; Carol, gone, gets nothing.
  await send(alice.page, 'just us two now');
  await expect(flow(bob.page).getByText('just us two now', { exact: true })).toBeVisible();
  await expect(carol.page.getByText('just us two now')).toHaveCount(0);
});

// The font and colour chooser and the sounds, end to end in Debian's Chromium: two people in their own browser
// contexts with their own browser-mode services, signed in to the test server. What alice chooses (font, colour,
// effects) is previewed in her box, remembered across a reload, and shows on bob's screen; a colour code that is not
// one is refused where it is typed. Sounds are heard through a spy on HTMLMediaElement.play that still plays (so a
// file the CSP or the server refused, or that does not decode, fails the test): a message with no view open, a nudge,
// a contact coming online — and not in the conversation being read, not with the setting off, not while Busy, not
// for the presence the server sends at sign-in. Axe on the chooser and on Options → Sounds.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { closeChatPerson, messageFlow as flow, messageInput as input, signInAs, startChatPerson, type ChatPerson } from './chat-fixture';
import { contactRow, expectAccessible, shot } from './contact-list-fixture';
import { startTestServer, type TestServer } from './msn-server';

interface Played {
  sound?: string;
  src: string;
  /** Set once it played to its end, or to the media error code if it could not be loaded or decoded. */
  ended?: boolean;
  error?: number;
}

let server: TestServer;
let alice: ChatPerson;
let bob: ChatPerson;

/** Page errors and console complaints (a refused media load shows as one). */
const problems = (p: ChatPerson) => [...p.pageErrors, ...p.consoleErrors];

const person = (browser: Browser, email: string, password: string) =>
  startChatPerson(browser, server, email, password, {
    tempPrefix: 'bf-e2e-format-',
    // Every play() is written down, then played for real; whether it played to its end (or failed) is noted.
    initScript: () => {
      const played: Played[] = [];
      (window as unknown as { __played: Played[] }).__played = played;
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        const entry: Played = { sound: this.dataset.sound, src: this.src };
        played.push(entry);
        this.addEventListener('ended', () => (entry.ended = true), { once: true });
        this.addEventListener('error', () => (entry.error = this.error?.code ?? -1), { once: true });
        return play.call(this);
      };
    },
  });

const played = (p: ChatPerson) => p.page.evaluate(() => (window as unknown as { __played: Played[] }).__played.map((e) => e.sound));
/** Waits until `count` sounds were played, the last being `sound`, from the page's origin, and played to its end. */
async function expectPlayed(p: ChatPerson, count: number, sound: string): Promise<void> {
  await expect.poll(() => played(p)).toHaveLength(count);
  expect((await played(p)).at(-1)).toBe(sound);
  const lastPlayed = () => p.page.evaluate(() => (window as unknown as { __played: Played[] }).__played.at(-1));
  await expect.poll(async () => (await lastPlayed())?.ended ?? (await lastPlayed())?.error).toBeDefined();
  const last = await lastPlayed();
  expect(last?.error).toBeUndefined();
  expect(last?.ended).toBe(true);
  expect(last?.src).toMatch(new RegExp(`^${new URL(p.bridge.url).origin}/assets/`));
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  server = await startTestServer();
  alice = await person(browser, 'alice@example.com', 'alicepass');
  bob = await person(browser, 'bob@example.com', 'bobpass');
});

test.afterAll(async () => {
  for (const p of [alice, bob]) await closeChatPerson(p);
  await server?.stop();
});

const chooser = (page: Page) => page.getByRole('group', { name: 'Font, colour and effects of your messages' });
const styleOf = (page: Page, text: string) =>
  flow(page)
    .getByText(text, { exact: true })
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { font: s.fontFamily, colour: s.color, weight: s.fontWeight, fontStyle: s.fontStyle, lines: s.textDecorationLine };
    });
const inputStyle = (page: Page) =>
  input(page).evaluate((el) => {
    const s = getComputedStyle(el);
    return { font: s.fontFamily, colour: s.color, weight: s.fontWeight, lines: s.textDecorationLine };
  });

test('what alice chooses is previewed, sent, and shown at bob, who hears it arrive with no view open but not while reading it', async () => {
  // The sign-in presence (alice was online when bob signed in) made no sound.
  expect(await played(bob)).toEqual([]);
  await contactRow(alice.page, 'Bob').dblclick();
  await expect(input(alice.page)).toBeFocused();

  await alice.page.getByRole('button', { name: 'Font', exact: true }).click();
  await expect(chooser(alice.page)).toBeVisible();
  const fontSelect = chooser(alice.page).getByRole('combobox', { name: 'Font' });
  await expect(fontSelect).toBeFocused();
  await fontSelect.selectOption('Georgia');
  await chooser(alice.page).getByRole('radio', { name: 'Blue' }).check();
  await chooser(alice.page).getByRole('checkbox', { name: 'Bold' }).check();
  await chooser(alice.page).getByRole('checkbox', { name: 'Underline' }).check();
  await expect(chooser(alice.page).getByRole('textbox', { name: 'Colour code' })).toHaveValue('#1f4e9c');
  expect(await inputStyle(alice.page)).toMatchObject({ colour: 'rgb(31, 78, 156)', weight: '700', lines: 'underline' });
  expect((await inputStyle(alice.page)).font).toMatch(/^"?Georgia"?,/);
  await chooser(alice.page).getByRole('button', { name: 'Done' }).click();
  await expect(chooser(alice.page)).toHaveCount(0);
  await expect(input(alice.page)).toBeFocused();

  await input(alice.page).fill('Formatado: olá ✿');
  await input(alice.page).press('Enter');
  await expect(flow(alice.page).getByText('Formatado: olá ✿')).toBeVisible();

  // Bob had no view open: the message makes a sound, and shows in alice's font, colour and effects.
  await expect(bob.page.getByRole('tab', { name: /Alice/ })).toBeVisible();
  await expectPlayed(bob, 1, 'message');
  // Served as what it is, with the page's CSP (which allows media only from the page's own origin).
  const file = await bob.page.request.get((await bob.page.evaluate(() => (window as unknown as { __played: Played[] }).__played[0]?.src)) ?? '');
  expect(file.headers()['content-type']).toBe('audio/ogg');
  expect(file.headers()['content-security-policy']).toMatch(/default-src 'self'/);
  await bob.page.getByRole('tab', { name: /Alice/ }).click();
  const atBob = await styleOf(bob.page, 'Formatado: olá ✿');
  expect(atBob).toMatchObject({ colour: 'rgb(31, 78, 156)', weight: '700', fontStyle: 'normal', lines: 'underline' });
  expect(atBob.font).toMatch(/^"?Georgia"?,/);

  // A code that is not a colour is refused where it is typed and changes nothing; a real one replaces the colour.
  await alice.page.getByRole('button', { name: 'Font', exact: true }).click();
  const code = chooser(alice.page).getByRole('textbox', { name: 'Colour code' });
  await code.fill('url(x)');
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect(chooser(alice.page).getByText('“url(x)” is not a colour code', { exact: false })).toBeVisible();
  expect((await inputStyle(alice.page)).colour).toBe('rgb(31, 78, 156)');
  await code.fill('#A3195B');
  await expect(code).toHaveAttribute('aria-invalid', 'false');
  await chooser(alice.page).getByRole('checkbox', { name: 'Underline' }).uncheck();
  await chooser(alice.page).getByRole('checkbox', { name: 'Italic' }).check();
  await chooser(alice.page).getByRole('checkbox', { name: 'Strikethrough' }).check();
  await expectAccessible(alice.page, 'the font and colour chooser');
  await alice.page.keyboard.press('Escape');
  await expect(chooser(alice.page)).toHaveCount(0);
  await expect(input(alice.page)).toBeFocused();
  await input(alice.page).fill('second, in pink');
  await input(alice.page).press('Enter');

  // Bob is reading this conversation (its tab shown, his page focused): no sound this time.
  await expect(flow(bob.page).getByText('second, in pink')).toBeVisible();
  expect(await styleOf(bob.page, 'second, in pink')).toMatchObject({ colour: 'rgb(163, 25, 91)', weight: '700', fontStyle: 'italic', lines: 'line-through' });
  await shot(bob.page, 'conversation-formatted');
  await bob.page.waitForTimeout(300);
  expect(await played(bob)).toEqual(['message']);
  expect([...problems(alice), ...problems(bob)]).toEqual([]);
});

test('the choice is remembered across a reload, and the chooser works from the keyboard alone', async () => {
  await alice.page.reload();
  await expect(alice.page.getByRole('tree', { name: 'Contacts' })).toBeVisible({ timeout: 30_000 });
  // (The reload brings the open tab back, so this double-click shows it rather than opening it: focus stays on the list.)
  await contactRow(alice.page, 'Bob').dblclick();
  await expect(input(alice.page)).toBeVisible();
  expect(await inputStyle(alice.page)).toMatchObject({ colour: 'rgb(163, 25, 91)', weight: '700', lines: 'line-through' });

  // Shift+Tab from the box reaches the toolbar; Enter opens the chooser with focus on the font.
  const fontButton = alice.page.getByRole('button', { name: 'Font', exact: true });
  await fontButton.focus();
  await alice.page.keyboard.press('Enter');
  const fontSelect = chooser(alice.page).getByRole('combobox', { name: 'Font' });
  await expect(fontSelect).toBeFocused();
  await expect(fontSelect).toHaveValue('Georgia');
  await expect(chooser(alice.page).getByRole('checkbox', { name: 'Italic' })).toBeChecked();
  // Tab reaches the colour chosen (a radio group: arrows move the choice, wrapping round), then the default colour.
  await alice.page.keyboard.press('Tab');
  await expect(chooser(alice.page).getByRole('radio', { name: 'Pink' })).toBeFocused();
  await expect(chooser(alice.page).getByRole('radio', { name: 'Pink' })).toBeChecked();
  await alice.page.keyboard.press('ArrowRight');
  await expect(chooser(alice.page).getByRole('radio', { name: 'Default' })).toBeChecked();
  await expect(chooser(alice.page).getByRole('textbox', { name: 'Colour code' })).toHaveValue('');
  await alice.page.keyboard.press('ArrowRight');
  await expect(chooser(alice.page).getByRole('radio', { name: 'Black' })).toBeChecked();
  await fontSelect.selectOption('');
  await alice.page.keyboard.press('Escape');
  await expect(input(alice.page)).toBeFocused();
  const style = await inputStyle(alice.page);
  expect(style.font).not.toMatch(/Georgia/);
  expect(style.colour).toBe('rgb(0, 0, 0)');
  // In dark mode a colour that would be hard to read there is shown in the theme's colour, and the chooser says so.
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await fontButton.click();
  await chooser(alice.page).getByRole('radio', { name: 'Blue' }).check();
  await expect(chooser(alice.page).getByText('Blue is hard to read on this background', { exact: false })).toBeVisible();
  expect((await inputStyle(alice.page)).colour).not.toBe('rgb(31, 78, 156)');
  await expectAccessible(alice.page, 'the font and colour chooser in dark mode');
  await chooser(alice.page).getByRole('radio', { name: 'Black' }).check();
  await chooser(alice.page).getByRole('button', { name: 'Done' }).click();
  await alice.page.emulateMedia({ colorScheme: 'light' });
  await input(alice.page).fill('plain black, bold italic struck');
  await input(alice.page).press('Enter');
  const atBob = await styleOf(bob.page, 'plain black, bold italic struck');
  expect(atBob).toMatchObject({ colour: 'rgb(0, 0, 0)', weight: '700', fontStyle: 'italic', lines: 'line-through' });
  // No font chosen: the official client's default goes on the wire.
  expect(atBob.font).toMatch(/^"?Arial"?,/);
});

test('sounds: a nudge and a message are heard; a message is not with its setting off, nor while Busy; axe on Options → Sounds', async () => {
  // Alice stops reading the conversation: what comes next arrives with no view open.
  await alice.page.getByRole('button', { name: 'Close conversation' }).click();
  await bob.page.getByRole('button', { name: 'Nudge' }).click();
  await expectPlayed(alice, 1, 'nudge');
  await input(bob.page).fill('heard');
  await input(bob.page).press('Enter');
  await expectPlayed(alice, 2, 'message');

  await alice.page.getByRole('button', { name: 'Options' }).click();
  await alice.page.getByRole('tab', { name: 'Sounds' }).click();
  const messageSound = alice.page.getByRole('checkbox', { name: /A message arrives/ });
  await expect(messageSound).toBeChecked();
  await expectAccessible(alice.page, 'Options → Sounds');
  await alice.page.getByRole('button', { name: 'Play the sound for “A contact comes online”' }).click();
  await expectPlayed(alice, 3, 'online');
  await messageSound.uncheck();
  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();

  // A message that arrived shows in its tab's unread count: once that changed, any sound would have been played.
  const badge = alice.page.getByRole('tab', { name: /Bob/ }).getByLabel(/unread message/);
  const arrives = async (text: string) => {
    const before = await badge.getAttribute('aria-label');
    await input(bob.page).fill(text);
    await input(bob.page).press('Enter');
    await expect(badge).not.toHaveAttribute('aria-label', before ?? '');
  };
  await arrives('not heard: setting off');

  await alice.page.getByRole('button', { name: /^My status: / }).click();
  await alice.page.getByRole('menuitemradio', { name: 'Busy' }).click();
  await expect(alice.page.getByRole('button', { name: 'My status: Busy' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Options' }).click();
  await alice.page.getByRole('tab', { name: 'Sounds' }).click();
  await alice.page.getByRole('checkbox', { name: /A message arrives/ }).check();
  await expect(alice.page.getByText('No sound plays while your status is Busy.')).toBeVisible();
  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();
  await arrives('not heard: busy');
  expect(await played(alice)).toEqual(['nudge', 'message', 'online']);

  await alice.page.getByRole('button', { name: 'My status: Busy' }).click();
  await alice.page.getByRole('menuitemradio', { name: 'Online' }).click();
  await expect(alice.page.getByRole('button', { name: 'My status: Online' })).toBeVisible();
  await arrives('heard again');
  await expectPlayed(alice, 4, 'message');
});

test('a contact coming online is heard, but not the presence the server sends at sign-in', async () => {
  const before = (await played(alice)).length;
  await bob.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(contactRow(alice.page, 'Bob')).toContainText('Offline');
  await signInAs(bob, 'bob@example.com', 'bobpass');
  await expectPlayed(alice, before + 1, 'online');
  // Bob, signing in, got alice's presence with the rest of his list: no sound for him.
  await bob.page.waitForTimeout(300);
  expect(await played(bob)).toEqual(['message']);
  expect([...problems(alice), ...problems(bob)]).toEqual([]);
});

test('a second page of the same person follows the preferences the first one saves, both ways', async () => {
  const second = await alice.context.newPage();
  await second.goto(new URL(alice.bridge.url).origin);
  await expect(second.getByRole('tree', { name: 'Contacts' })).toBeVisible({ timeout: 30_000 });
  const sounds = async (page: Page) => {
    await page.getByRole('button', { name: 'Options' }).click();
    await page.getByRole('tab', { name: 'Sounds' }).click();
  };
  await sounds(second);
  const nudgeAt = (page: Page) => page.getByRole('checkbox', { name: 'Someone sends you a nudge' });
  await expect(nudgeAt(second)).toBeChecked();
  await sounds(alice.page);
  await nudgeAt(alice.page).uncheck();
  await expect(nudgeAt(second)).not.toBeChecked();
  await nudgeAt(second).check();
  await expect(nudgeAt(alice.page)).toBeChecked();
  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();
  await second.close();
});

test('two pages of the same person: each sound plays once, in the page that came to the front last; closing it hands the sounds back', async () => {
  const total = async () => (await played(alice)).length;
  const before = await total();
  const second = await alice.context.newPage();
  await second.goto(new URL(alice.bridge.url).origin);
  await expect(second.getByRole('tree', { name: 'Contacts' })).toBeVisible({ timeout: 30_000 });
  await second.bringToFront();
  const playedIn = (page: Page) => page.evaluate(() => (window as unknown as { __played: Played[] }).__played.map((e) => e.sound));
  const tab = (page: Page) => page.getByRole('tab', { name: /Bob/ }).getByLabel(/unread message/);
  /** Bob writes; `page` shows it unread (no page is reading it): once it does, any sound would have been played. */
  const send = async (text: string, page: Page) => {
    const seen = await tab(page).getAttribute('aria-label');
    await input(bob.page).fill(text);
    await input(bob.page).press('Enter');
    await expect(tab(page)).not.toHaveAttribute('aria-label', seen ?? '');
  };
  await send('heard once, in front', second);
  await expect.poll(() => playedIn(second)).toEqual(['message']);
  expect(await total()).toBe(before);

  await second.close();
  await send('heard once, back in the first page', alice.page);
  await expect.poll(total).toBe(before + 1);
  expect((await played(alice)).at(-1)).toBe('message');
  expect([...problems(alice), ...problems(bob)]).toEqual([]);
});

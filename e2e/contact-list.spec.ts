// The contact list end to end, as people use it: Debian's Chromium on browser mode's bridge, signing in to the
// project's test server over real sockets; other people are real clients signed in from this process.
import { expect, test, type Page } from '@playwright/test';
import type { AccountSpec } from './msn-server';
import { defaultTestAccounts } from './msn-server';
import { bigList, chooseStatus, contactRow, expectAccessible, sectionOf, sectionRow, shot, signIn, startApp, type App } from './contact-list-fixture';

let app: App | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Page errors and console errors (a missing translation is one): every journey ends with none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

/** What the server was sent with this command name (in every connection so far). */
const sent = (a: App, command: string) =>
  a.server
    .transcripts()
    .flatMap((t) => t.entries)
    .filter((e) => e.dir === 'C' && e.kind === 'line' && e.bytes.toString('utf8').startsWith(`${command} `)).length;

test('2,000 contacts in 30 groups: a few dozen rows in the page, filtered, collapsed and scrolled', async ({ page }) => {
  const errors = watchErrors(page);
  app = await startApp({ accounts: bigList(2000, 30) });
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, app);
  // Some people online, so the groups have rows.
  for (const n of [0, 3, 6, 9, 30, 60]) await app.signInOther(`contact${n}@example.com`, 'pass');
  await expect(contactRow(page, 'Diego 3')).toContainText('Online');
  await expect(sectionRow(page, 'Group 01')).toBeVisible();
  const elements = await page.evaluate(() => document.querySelectorAll('*').length);
  expect(elements).toBeLessThan(1200);

  // Filter: by nickname, ignoring case and accents, then by e-mail address.
  const filter = page.getByRole('searchbox', { name: 'Find a contact' });
  await filter.fill('ines 7');
  await expect(contactRow(page, 'Inês 72')).toBeVisible();
  expect(await page.getByRole('treeitem').filter({ hasText: /Inês 7\d\b/ }).count()).toBeGreaterThan(0);
  await filter.fill('contact1998@');
  await expect(page.getByRole('treeitem', { level: 2 })).toHaveCount(1);
  await shot(page, 'big-list-filtered');
  await filter.press('Escape');
  await expect(filter).toHaveValue('');

  // Collapse a group (remembered across a reload), and open it again.
  await sectionRow(page, 'Group 03').click();
  await expect(sectionRow(page, 'Group 03')).toHaveAttribute('aria-expanded', 'false');
  await expect(contactRow(page, 'Diego 3')).toHaveCount(0);
  await page.reload();
  await expect(sectionRow(page, 'Group 03')).toHaveAttribute('aria-expanded', 'false');
  await sectionRow(page, 'Group 03').click();
  await expect(contactRow(page, 'Diego 3')).toBeVisible();

  // Scroll to the end: the last offline contact is drawn, the header stays in view, and the section header of the
  // rows at the top sticks there.
  const tree = page.getByRole('tree', { name: 'Contacts' });
  await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.getByRole('treeitem').filter({ hasText: 'Pedro 1983' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Add contact' })).toBeInViewport();
  const stuck = sectionRow(page, 'Offline');
  await expect(stuck).toBeInViewport();
  const treeBox = await tree.boundingBox();
  expect(Math.abs(((await stuck.boundingBox())?.y ?? 0) - (treeBox?.y ?? 0))).toBeLessThan(2);
  expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(1200);
  expect(errors).toEqual([]);
});

test('a presence change from another client re-renders that row alone', async ({ page }) => {
  app = await startApp({ accounts: bigList(200, 5) });
  await signIn(page, app);
  const ana = await app.signInOther('contact0@example.com', 'pass');
  await app.signInOther('contact3@example.com', 'pass');
  await expect(contactRow(page, 'Ana 0')).toContainText('Online');
  await expect(contactRow(page, 'Diego 3')).toContainText('Online');

  // Record which rows change in the DOM from here on.
  await page.getByRole('tree').evaluate((tree) => {
    const touched = new Set<string>();
    (window as unknown as { touched: Set<string> }).touched = touched;
    new MutationObserver((records) => {
      for (const r of records) {
        const node = r.target instanceof Element ? r.target : r.target.parentElement;
        touched.add(node?.closest('[data-key]')?.getAttribute('data-key') ?? '(outside a row)');
      }
    }).observe(tree, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await ana.service.calls['messenger:set-status']({ accountId: ana.accountId, status: 'AWY' });
  await expect(contactRow(page, 'Ana 0')).toContainText('Away');
  expect(await page.evaluate(() => [...(window as unknown as { touched: Set<string> }).touched])).toEqual(['g:0/contact0@example.com']);
});

test('contacts and groups through the dialogs: checks before sending, confirmations, refusals in plain words', async ({ page }) => {
  const errors = watchErrors(page);
  app = await startApp();
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, app);
  await expect(contactRow(page, 'Bob')).toBeVisible();

  // A group name already taken is refused before anything is sent.
  const adgBefore = sent(app, 'ADG');
  await page.getByRole('button', { name: 'Add group' }).click();
  const newGroup = page.getByRole('dialog', { name: 'New group' });
  await newGroup.getByLabel('Group name').fill('  friends ');
  await newGroup.getByRole('button', { name: 'Add group' }).click();
  await expect(newGroup.getByText('There is already a group called “Friends”.')).toBeVisible();
  expect(sent(app, 'ADG')).toBe(adgBefore);
  // Escape closes it, and focus goes back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(newGroup).toBeHidden();
  await expect(page.getByRole('button', { name: 'Add group' })).toBeFocused();

  // Adding someone already in the list, or an address that is not one, is caught in the dialog too.
  await page.getByRole('button', { name: 'Add contact' }).click();
  const add = page.getByRole('dialog', { name: 'Add a contact' });
  await add.getByLabel('Their e-mail address').fill('BOB@example.com');
  await add.getByRole('button', { name: 'Add contact' }).click();
  await expect(add.getByText('Bob is already in your list.')).toBeVisible();
  await add.getByLabel('Their e-mail address').fill('not an address');
  await add.getByRole('button', { name: 'Add contact' }).click();
  await expect(add.getByText('Enter an e-mail address like name@example.com.')).toBeVisible();
  await expectAccessible(page, 'the add-contact dialog with an error');
  // A real one, into a chosen group.
  await add.getByLabel('Their e-mail address').fill('carol@example.com');
  await add.getByLabel('Group').selectOption({ label: 'Friends' });
  await add.getByRole('button', { name: 'Add contact' }).click();
  await expect(add).toBeHidden();
  await expect(contactRow(page, 'carol@example.com')).toBeVisible();
  expect(app.server.state.account('alice@example.com')?.contacts.find((c) => c.email === 'carol@example.com')).toMatchObject({ groups: [1] });
  await expect(sectionRow(page, 'Friends')).toHaveAccessibleName('Friends, 0 of 2 online');

  // Removing a group that holds contacts asks first, saying how many; Cancel keeps it.
  await sectionRow(page, 'Friends').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Remove group' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove the group “Friends”?' });
  await expect(confirm).toContainText('It holds 2 contacts.');
  await expectAccessible(page, 'the remove-group confirmation');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(sectionRow(page, 'Friends')).toBeVisible();
  await sectionRow(page, 'Friends').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Remove group' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove group' }).click();
  // (The page behind a dialog is hidden: what is gone is checked once the dialog is.)
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(sectionRow(page, 'Friends')).toHaveCount(0);

  // Removing a contact asks first too.
  await contactRow(page, 'carol@example.com').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Remove from contacts' }).click();
  await page.getByRole('alertdialog', { name: 'Remove carol@example.com?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(contactRow(page, 'carol@example.com')).toHaveCount(0);

  // A refusal the client could not foresee (the test server refuses a 62-byte name) comes back in words, and the
  // next successful action clears it.
  await page.getByRole('button', { name: 'Add group' }).click();
  await page.getByRole('dialog', { name: 'New group' }).getByLabel('Group name').fill('ǅ'.repeat(31));
  await page.getByRole('dialog', { name: 'New group' }).getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('dialog', { name: 'New group' }).getByRole('alert')).toHaveText('That group name is too long for the server.');
  await page.keyboard.press('Escape');
  await contactRow(page, 'Bob').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Block' }).click();
  await expect(contactRow(page, 'Bob')).toContainText('Blocked');
  expect(errors).toEqual([]);
});

test('a blocked contact shows as blocked, not online, and is not counted online', async ({ page }) => {
  app = await startApp();
  await signIn(page, app);
  await app.signInOther('bob@example.com', 'bobpass');
  await expect(contactRow(page, 'Bob')).toContainText('Online');
  await expect(sectionRow(page, 'Friends')).toHaveAccessibleName('Friends, 1 of 1 online');
  await contactRow(page, 'Bob').press('Shift+F10');
  await page.getByRole('menuitem', { name: 'Block' }).press('Enter');
  await expect(contactRow(page, 'Bob')).toHaveAccessibleName('Bob, Blocked');
  await expect(contactRow(page, 'Bob').locator('svg.status-icon')).toHaveClass(/blocked/);
  expect(await sectionOf(contactRow(page, 'Bob'))).toBe('Offline');
  await expect(sectionRow(page, 'Friends')).toHaveAccessibleName('Friends, 0 of 1 online');
  expect(app.server.state.account('alice@example.com')?.contacts.find((c) => c.email === 'bob@example.com')?.lists).toContain('BL');
});

test('menus stay inside the window, close on Escape and outside clicks; the status menu sends nothing until chosen', async ({ page }) => {
  app = await startApp();
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, app);
  await expect(contactRow(page, 'Bob')).toBeVisible();

  // The group's ⋯ at the right edge: the menu opens leftwards, wholly inside the window.
  await sectionRow(page, 'Friends').hover();
  await page.getByRole('button', { name: 'Actions for group Friends' }).click();
  const menu = page.getByRole('menu', { name: 'Actions for group Friends' });
  await expect(menu.getByRole('menuitem', { name: 'Rename group' })).toBeFocused();
  const box = await menu.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 360 && box.y + box.height <= 640).toBe(true);
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  // A right-click in the bottom right corner.
  await page.mouse.click(350, 630);
  await contactRow(page, 'Bob').click({ button: 'right', position: { x: 300, y: 10 } });
  const bobMenu = page.getByRole('menu', { name: 'Actions for Bob' });
  const bobBox = await bobMenu.boundingBox();
  expect(bobBox && bobBox.x + bobBox.width <= 360).toBe(true);
  await page.mouse.click(100, 500);
  await expect(bobMenu).toBeHidden();

  // ArrowDown opens the status menu and moves in it; nothing is sent until Enter.
  const chg = sent(app, 'CHG');
  const statusButton = page.getByRole('button', { name: 'My status: Online' });
  await statusButton.focus();
  await page.keyboard.press('ArrowDown');
  const statusMenu = page.getByRole('menu', { name: 'Status' });
  await expect(statusMenu.getByRole('menuitemradio', { name: 'Online' })).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(statusMenu.getByRole('menuitemradio', { name: 'Away' })).toBeFocused();
  expect(sent(app, 'CHG')).toBe(chg);
  await page.keyboard.press('Escape');
  await expect(statusButton).toBeFocused();
  expect(sent(app, 'CHG')).toBe(chg);
  await chooseStatus(page, 'Busy');
  await expect.poll(() => sent(app as App, 'CHG')).toBe(chg + 1);
});

test('the own nickname: Escape cancels, the length is shown, a too-long one is refused in words, the header stays one line', async ({ page }) => {
  app = await startApp();
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, app);
  const heading = page.getByRole('heading', { level: 1 });
  await page.getByRole('button', { name: 'Alice ✿ Ünïcødé' }).click();
  const field = page.getByLabel('Nickname');
  await expect(field).toBeFocused();
  await field.fill('Something else');
  await page.keyboard.press('Escape');
  await expect(field).toBeHidden();
  await expect(page.getByRole('button', { name: 'Alice ✿ Ünïcødé' })).toBeFocused();
  expect(sent(app, 'REA')).toBe(0);

  await page.getByRole('button', { name: 'Alice ✿ Ünïcødé' }).click();
  // The heading stays (for screen readers) while editing.
  await expect(heading).toHaveCount(1);
  await field.fill('x'.repeat(130));
  await expect(page.getByText('130/129')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('A nickname can have at most 129 characters; this one has 130.');
  await page.getByRole('button', { name: 'Save' }).click();
  expect(sent(app, 'REA')).toBe(0);
  const long = 'A long nickname that goes on '.repeat(5).slice(0, 129);
  await field.fill(long);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: long.trim() })).toBeVisible();
  const lines = await heading.evaluate((h) => Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)));
  expect(lines).toBe(1);
  // The full name is there on hover.
  await expect(page.getByRole('button', { name: long.trim() })).toHaveAttribute('title', new RegExp(`^${long.trim()}`));
  await expect(page.getByRole('button', { name: long.trim() })).toBeFocused();
});

test('privacy: who may see me and the ask-when-added setting round-trip to the server; the allow and block lists are editable', async ({ page }) => {
  app = await startApp();
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('tab', { name: 'Privacy' }).click();
  await expect(dialog.getByText('The server reports: Everyone except the people I block.')).toBeVisible();
  await expectAccessible(page, 'the privacy tab');
  // Each choice shows once the server has answered it (click, not check: the box follows the server, not the click).
  await dialog.getByLabel('Only the people on my allow list').click();
  await expect(dialog.getByText('The server reports: Only the people on my allow list.')).toBeVisible();
  await expect.poll(() => app?.server.state.account('alice@example.com')?.blp).toBe('BL');
  await dialog.getByLabel('Ask me when someone adds me to their contact list').click();
  await expect(dialog.getByLabel('Ask me when someone adds me to their contact list')).not.toBeChecked();
  await expect.poll(() => app?.server.state.account('alice@example.com')?.gtc).toBe('N');

  // Bob, on the allow list, moves to the block list and back.
  const allow = dialog.getByRole('region', { name: 'Allow list' });
  const block = dialog.getByRole('region', { name: 'Block list' });
  await allow.getByRole('button', { name: 'Block Bob' }).click();
  await expect(block.getByText('Bob')).toBeVisible();
  await expect(dialog.getByText('Nobody is on your allow list.')).toBeVisible();
  await block.getByRole('button', { name: 'Allow Bob' }).click();
  await expect(allow.getByText('Bob')).toBeVisible();
  expect(app.server.state.account('alice@example.com')?.contacts.find((c) => c.email === 'bob@example.com')?.lists).toContain('AL');

  // Signed in anew, the server's kept values are shown.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Privacy' }).click();
  await expect(page.getByLabel('Only the people on my allow list')).toBeChecked();
  await expect(page.getByLabel('Ask me when someone adds me to their contact list')).not.toBeChecked();
});

test('message history: kept on this computer unless turned off, and the choice stays with the account', async ({ page }) => {
  app = await startApp();
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('tab', { name: 'Privacy' }).click();
  const keep = dialog.getByLabel('Keep my message history on this computer');
  await expect(keep).toBeChecked();
  await expect(dialog.getByText('Your conversations are kept on this computer, searchable.')).toBeVisible();
  await keep.click();
  await expect(keep).not.toBeChecked();
  await expect(dialog.getByText(/^History is off: new messages are kept in memory only/)).toBeVisible();
  await expectAccessible(page, 'the privacy tab with history off');

  // Signed in anew, the setting is what main kept for the account.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Privacy' }).click();
  await expect(page.getByLabel('Keep my message history on this computer')).not.toBeChecked();
  await page.getByLabel('Keep my message history on this computer').click();
  await expect(page.getByText('Your conversations are kept on this computer, searchable.')).toBeVisible();
});

test('privacy: a server that acknowledges a change but does not keep it is called out, and its value shown as in force', async ({ page }) => {
  app = await startApp();
  app.server.faults.set({ privacyNotKept: true });
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Privacy' }).click();
  await page.getByLabel('Only the people on my allow list').click();
  await expect(page.getByText('The server reports: Only the people on my allow list.')).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  // The next sync tells the truth.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Privacy' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The server acknowledged the change but did not keep it: what it reports is still “Everyone except the people I block”, and that is what is in force.',
  );
  await expect(page.getByLabel('Everyone except the people I block')).toBeChecked();
});

test('keyboard only: sign in, move through the list, open and use menus and dialogs, sign out', async ({ page }) => {
  app = await startApp();
  await page.setViewportSize({ width: 360, height: 640 });
  await app.signInOther('bob@example.com', 'bobpass');
  await page.goto(app.bridge.url);
  // Focus is placed on arrival.
  await expect(page.getByLabel('E-mail address')).toBeFocused();
  await page.keyboard.type('alice@example.com');
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is not right.');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type('alicepass');
  await page.keyboard.press('Enter');

  // Signed in: focus is on the list's first row, and the list is a single tab stop.
  await expect(sectionRow(page, 'Friends')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(contactRow(page, 'Bob')).toBeFocused();
  await expect(page.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Search message history' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Add group' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(contactRow(page, 'Bob')).toBeFocused();

  // Left goes to the group, which Left closes and Right opens again.
  await page.keyboard.press('ArrowLeft');
  await expect(sectionRow(page, 'Friends')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(sectionRow(page, 'Friends')).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(sectionRow(page, 'Friends')).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(contactRow(page, 'Bob')).toBeFocused();

  // The menu key on a contact opens its menu (Enter opens its conversation: conversations.spec.ts); Escape gives focus back.
  await page.keyboard.press('ContextMenu');
  await expect(page.getByRole('menu', { name: 'Actions for Bob' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(contactRow(page, 'Bob')).toBeFocused();

  // The menu key: move Bob to a new group made from the keyboard.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'New group' }).getByLabel('Group name')).toBeFocused();
  await page.keyboard.type('Work');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(sectionRow(page, 'Work')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add group' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(contactRow(page, 'Bob')).toBeFocused();
  await page.keyboard.press('ContextMenu');
  await expect(page.getByRole('menuitem', { name: 'Send a message' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Move to group…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const move = page.getByRole('dialog', { name: 'Move Bob' });
  await expect(move.getByLabel('To group')).toBeFocused();
  // Tab stays inside the dialog: select, Cancel, Move, and round again.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    await expect(move.locator(':focus')).toHaveCount(1);
  }
  await expect(move.getByLabel('To group')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(move.getByRole('button', { name: 'Move' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => sectionOf(contactRow(page, 'Bob'))).toBe('Work');
  await expect(contactRow(page, 'Bob')).toBeFocused();

  // Rename the group, block and unblock Bob, all by keyboard.
  await page.keyboard.press('ArrowUp');
  await expect(sectionRow(page, 'Work')).toBeFocused();
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Colleagues');
  await page.keyboard.press('Enter');
  await expect(sectionRow(page, 'Colleagues')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Block' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(contactRow(page, 'Bob')).toHaveAccessibleName('Bob, Blocked');
  await expect(contactRow(page, 'Bob')).toBeFocused();
  await page.keyboard.press('Shift+F10');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Unblock' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(contactRow(page, 'Bob')).toHaveAccessibleName('Bob, Online');

  // The filter, from the keyboard: type, ArrowDown into the results, Escape clears.
  await page.getByRole('searchbox', { name: 'Find a contact' }).focus();
  await page.keyboard.type('bo');
  await page.keyboard.press('ArrowDown');
  await expect(contactRow(page, 'Bob')).toBeFocused();

  // Remove Bob with confirmation (Cancel has focus first: a stray Enter removes nothing).
  await page.keyboard.press('ContextMenu');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alertdialog', { name: 'Remove Bob?' }).getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(contactRow(page, 'Bob')).toHaveCount(0);

  // Sign out from the keyboard: focus goes back to the sign-in form, the address kept.
  await page.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Password')).toBeFocused();
  await expect(page.getByLabel('E-mail address')).toHaveValue('alice@example.com');
});

test('the reconnect banner while the server is gone, and the service-gone state when Butterfly itself stops', async ({ page }) => {
  app = await startApp();
  await signIn(page, app);
  await expect(contactRow(page, 'Bob')).toBeVisible();
  app.server.kickAll();
  await expect(page.getByRole('status').filter({ hasText: /Connection lost|Reconnecting/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add contact' })).toBeDisabled();
  // It comes back by itself.
  await expect(page.getByRole('status').filter({ hasText: /Connection lost|Reconnecting/ })).toBeHidden({ timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Add contact' })).toBeEnabled();

  // Butterfly's own service stops: said so, controls off, no stale "Online".
  await app.bridge.close();
  await expect(page.getByRole('alert')).toContainText('Butterfly’s background service has stopped');
  await expect(page.getByRole('button', { name: /^My status: Offline$/ })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Add contact' })).toBeDisabled();
  await expect(contactRow(page, 'Bob')).toHaveAccessibleName('Bob, Status unknown');
  await shot(page, 'service-gone');
});

test('hostile names stay text: HTML and script in a nickname and a group name, and a U+202E override, shown literally and isolated', async ({ page }) => {
  const accounts: AccountSpec[] = defaultTestAccounts();
  const alice = accounts[0] as AccountSpec;
  alice.groups = [...(alice.groups ?? []), { id: 2, name: '<script>window.pwned=1</script>' }];
  alice.contacts = [
    ...(alice.contacts ?? []),
    { email: 'mallory@example.com', nickname: '<img src=x onerror="window.pwned=2">', lists: ['FL', 'AL'], groups: [2] },
    { email: 'spoof@example.com', nickname: 'photo\u202Egnp.exe', lists: ['FL', 'AL'], groups: [2] },
  ];
  app = await startApp({ accounts });
  await signIn(page, app);
  await expect(sectionRow(page, '<script>window.pwned=1</script>')).toBeVisible();
  await expect(contactRow(page, '<img src=x onerror="window.pwned=2">')).toBeVisible();
  // Nothing was injected and nothing ran.
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(await page.locator('#root img, #root script').count()).toBe(0);
  // The override is gone from what is shown; the text reads in its true order, isolated from what surrounds it.
  const spoof = contactRow(page, 'photognp.exe').locator('bdi.nickname');
  await expect(spoof).toHaveText('photognp.exe');
  expect(await spoof.evaluate((el) => [el.textContent?.includes('\u202E'), getComputedStyle(el).unicodeBidi])).toEqual([false, 'isolate']);
});

test('each language renders complete: Brazilian Portuguese and Spanish chosen in the settings, and English from the system', async ({ page, browser }) => {
  const errors = watchErrors(page);
  app = await startApp();
  await signIn(page, app);
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Appearance' }).click();
  await page.getByLabel('Language').selectOption('pt-BR');
  await expect(page.getByRole('dialog', { name: 'Configurações' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
  await page.getByRole('button', { name: 'Fechar' }).click();
  await expect(page.getByRole('button', { name: 'Adicionar contato' })).toBeVisible();
  await expect(sectionRow(page, 'Offline')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sair' })).toBeVisible();
  await page.getByRole('button', { name: 'Sair' }).click();
  await expect(page.getByRole('heading', { name: 'Entrar no Butterfly' })).toBeVisible();
  await page.getByRole('button', { name: 'Opções…' }).click();
  await page.getByLabel('Idioma').selectOption('es');
  await expect(page.getByRole('dialog', { name: 'Configuración' })).toBeVisible();
  await page.getByRole('button', { name: 'Cerrar' }).click();
  await expect(page.getByRole('heading', { name: 'Iniciar sesión en Butterfly' })).toBeVisible();
  await page.getByLabel('Contraseña').fill('mal');
  await page.getByLabel('Dirección de correo').fill('alice@example.com');
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
  await expect(page.getByRole('alert')).toHaveText('La dirección de correo o la contraseña no son correctas.');
  expect(errors).toEqual([]);

  // A system set to Portuguese (Portugal) gets Brazilian Portuguese without choosing anything.
  const context = await browser.newContext({ locale: 'pt-PT' });
  const fresh = await context.newPage();
  await fresh.goto(app.bridge.url);
  await expect(fresh.getByRole('heading', { name: 'Entrar no Butterfly' })).toBeVisible();
  await context.close();
});

test('axe finds nothing serious on any screen or dialog, in light and dark', async ({ page }) => {
  const accounts = defaultTestAccounts();
  accounts.push({ email: 'dave@example.com', password: 'davepass' });
  app = await startApp({ accounts });
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto(app.bridge.url);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in to Butterfly' })).toBeVisible();
    await expectAccessible(page, `the sign-in screen (${scheme})`);
    await page.getByRole('button', { name: 'Connection settings…' }).click();
    await expect(page.getByLabel('Server host')).toBeVisible();
    await expectAccessible(page, `the connection settings (${scheme})`);
    await page.getByRole('tab', { name: 'Appearance' }).click();
    await expectAccessible(page, `the appearance settings (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByLabel('Password').fill('wrong');
    await page.getByLabel('E-mail address').fill('alice@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page, `the sign-in error (${scheme})`);
    await page.getByLabel('Password').fill('alicepass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(contactRow(page, 'Bob')).toBeVisible();
    await contactRow(page, 'Bob').hover();
    await expectAccessible(page, `the contact list (${scheme})`);
    await contactRow(page, 'Bob').click({ button: 'right' });
    await expectAccessible(page, `a contact's menu (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^My status/ }).click();
    await expectAccessible(page, `the status menu (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await expectAccessible(page, `the add-contact dialog (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Add group' }).click();
    await expectAccessible(page, `the new-group dialog (${scheme})`);
    await page.keyboard.press('Escape');
    await contactRow(page, 'Bob').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Move to group…' }).click();
    await expectAccessible(page, `the move dialog (${scheme})`);
    await page.keyboard.press('Escape');
    await contactRow(page, 'Bob').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Remove from contacts' }).click();
    await expectAccessible(page, `the remove confirmation (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('dialog', { name: 'New group' }).getByLabel('Group name').fill('Friends');
    await page.keyboard.press('Enter');
    await expectAccessible(page, `a dialog with a refusal (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Options' }).click();
    await expectAccessible(page, `the settings while signed in (${scheme})`);
    await page.getByRole('tab', { name: 'Privacy' }).click();
    await expectAccessible(page, `the privacy settings (${scheme})`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Alice ✿ Ünïcødé' }).click();
    await expectAccessible(page, `the nickname editor (${scheme})`);
    await page.keyboard.press('Escape');
    const stranger = scheme === 'light' ? 'carol' : 'dave';
    const other = await app.signInOther(`${stranger}@example.com`, `${stranger}pass`);
    await other.service.calls['contacts:add']({ accountId: other.accountId, email: 'alice@example.com' });
    await expect(page.getByRole('dialog', { name: `${stranger}@example.com added you` })).toBeVisible();
    await expectAccessible(page, `the added-you prompt (${scheme})`);
    await page.getByRole('button', { name: 'Block' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
});

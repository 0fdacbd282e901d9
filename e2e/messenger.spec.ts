// The renderer end to end: Debian's Chromium on browser mode's bridge, the same main-process service as the desktop
// app, signing in to the project's MSN test server over real sockets. Other people are real clients too: services
// signed in from this process as bob and carol.
import { expect, test } from '@playwright/test';
import { chooseStatus, contactRow, sectionOf, sectionRow, shot, startApp, type App } from './contact-list-fixture';

let app: App;
test.beforeEach(async () => {
  app = await startApp();
});
test.afterEach(async () => app.close());

async function signIn(page: import('@playwright/test').Page, email: string, password: string): Promise<void> {
  await page.goto(app.bridge.url);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('signs in, shows groups and presence, and follows a contact coming online, changing name and leaving', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, 'alice@example.com', 'alicepass');

  // Own nickname decoded from the wire once; bob, in "Friends", offline (so drawn in Offline).
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  await expect(contactRow(page, 'Bob')).toContainText('Offline');
  expect(await sectionOf(contactRow(page, 'Bob'))).toBe('Offline');
  await expect(sectionRow(page, 'Friends')).toHaveAccessibleName('Friends, 0 of 1 online');

  const bob = await app.signInOther('bob@example.com', 'bobpass');
  await expect(contactRow(page, 'Bob')).toContainText('Online');
  expect(await sectionOf(contactRow(page, 'Bob'))).toBe('Friends');
  await bob.service.calls['messenger:set-status']({ accountId: bob.accountId, status: 'BSY' });
  await expect(contactRow(page, 'Bob')).toContainText('Busy');
  // Typed as plain text by bob; encoded once by bob's main, decoded once by alice's renderer.
  await bob.service.calls['messenger:set-nickname']({ accountId: bob.accountId, nickname: 'Bob ✿ 100% sure' });
  await expect(contactRow(page, 'Bob ✿ 100% sure')).toContainText('Busy');
  await shot(page, 'contact-list');

  await bob.service.calls['messenger:sign-out']({ accountId: bob.accountId });
  await expect(contactRow(page, 'Bob ✿ 100% sure')).toContainText('Offline');

  // Alice's own changes go through the same service: a nickname typed with spaces and a '%'.
  await page.getByRole('button', { name: 'Alice ✿ Ünïcødé' }).click();
  await page.getByLabel('Nickname').fill('Alice 50% away');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Alice 50% away' })).toBeVisible();
  await chooseStatus(page, 'Away');
  expect(app.server.state.account('alice@example.com')).toMatchObject({ nickname: 'Alice 50% away' });
  expect(app.server.state.online().find((o) => o.email === 'alice@example.com')?.status).toBe('AWY');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Butterfly' })).toBeVisible();
  // The address stays for the next sign-in.
  await expect(page.getByLabel('E-mail address')).toHaveValue('alice@example.com');
  expect(errors).toEqual([]);
});

test('a wrong password is reported on the sign-in screen and the password field is cleared', async ({ page }) => {
  await signIn(page, 'alice@example.com', 'not-her-password');
  await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is not right.');
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByLabel('E-mail address')).toHaveValue('alice@example.com');
  // Focus is back where the person has to type again.
  await expect(page.getByLabel('Password')).toBeFocused();
});

test('someone adding you asks whether to allow them, and adding them back puts them in the list', async ({ page }) => {
  await signIn(page, 'alice@example.com', 'alicepass');
  await expect(page.getByRole('heading', { name: 'Alice ✿ Ünïcødé' })).toBeVisible();
  const carol = await app.signInOther('carol@example.com', 'carolpass');
  await carol.service.calls['contacts:add']({ accountId: carol.accountId, email: 'alice@example.com' });

  const prompt = page.getByRole('dialog', { name: 'carol@example.com added you' });
  await expect(prompt).toBeVisible();
  await prompt.getByRole('button', { name: 'Allow' }).click();
  await expect(prompt).toBeHidden();
  await expect(contactRow(page, 'carol@example.com')).toContainText('Online');
  expect(await sectionOf(contactRow(page, 'carol@example.com'))).toBe('Other Contacts');
});

test('a refused list change is shown in plain words and rolled back', async ({ page }) => {
  await signIn(page, 'alice@example.com', 'alicepass');
  await expect(contactRow(page, 'Bob')).toBeVisible();
  await page.getByRole('button', { name: 'Add contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a contact' });
  await dialog.getByLabel('Their e-mail address').fill('nobody-here@example.com');
  await dialog.getByRole('button', { name: 'Add contact' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('There is no Messenger account for nobody-here@example.com.');
  // Rolled back: once the dialog is closed (the page behind it is hidden while it is up), no row for them.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(contactRow(page, 'Bob')).toBeVisible();
  await expect(page.getByRole('treeitem').filter({ hasText: 'nobody-here@example.com' })).toHaveCount(0);
});

test('groups and contacts are managed from the list: new group, rename, move, block, unblock, remove', async ({ page }) => {
  await app.signInOther('bob@example.com', 'bobpass');
  await signIn(page, 'alice@example.com', 'alicepass');
  await expect(contactRow(page, 'Bob')).toContainText('Online');

  // A group name typed with spaces, a '%' and non-ASCII text arrives back decoded exactly.
  await page.getByRole('button', { name: 'Add group' }).click();
  await page.getByRole('dialog', { name: 'New group' }).getByLabel('Group name').fill('Work ✿ 100%');
  await page.getByRole('dialog', { name: 'New group' }).getByRole('button', { name: 'Add group' }).click();
  await expect(sectionRow(page, 'Work ✿ 100%')).toBeVisible();

  await contactRow(page, 'Bob').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Move to group…' }).click();
  const move = page.getByRole('dialog', { name: 'Move Bob' });
  await move.getByLabel('To group').selectOption({ label: 'Work ✿ 100%' });
  await move.getByRole('button', { name: 'Move' }).click();
  await expect.poll(() => sectionOf(contactRow(page, 'Bob'))).toBe('Work ✿ 100%');
  await expect(sectionRow(page, 'Friends')).toHaveAccessibleName('Friends, 0 of 0 online');

  await sectionRow(page, 'Work ✿ 100%').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Rename group' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename “Work ✿ 100%”' });
  await rename.getByLabel('Group name').fill('Colleagues');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect.poll(() => sectionOf(contactRow(page, 'Bob'))).toBe('Colleagues');

  await contactRow(page, 'Bob').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Block' }).click();
  await expect(contactRow(page, 'Bob')).toContainText('Blocked');
  await contactRow(page, 'Bob').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Unblock' }).click();
  await expect(contactRow(page, 'Bob')).toContainText('Online');

  await contactRow(page, 'Bob').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Remove from contacts' }).click();
  await page.getByRole('alertdialog', { name: 'Remove Bob?' }).getByRole('button', { name: 'Remove' }).click();
  // (While a dialog is up the page behind it is hidden, so what is not there is only checked once it has gone.)
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(page.getByRole('treeitem').filter({ hasText: 'Bob' })).toHaveCount(0);
  await expect(sectionRow(page, 'Colleagues')).toHaveAccessibleName('Colleagues, 0 of 0 online');
  // Empty now: it goes without asking.
  await sectionRow(page, 'Colleagues').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Remove group' }).click();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(sectionRow(page, 'Colleagues')).toHaveCount(0);

  // What the server stored is what the screen showed (the screen changes first: the server's answer may still be on
  // its way when the row goes).
  const account = () => app.server.state.account('alice@example.com');
  await expect.poll(() => account()?.groups.map((g) => g.name)).not.toContain('Colleagues');
  await expect.poll(() => account()?.contacts.find((c) => c.email === 'bob@example.com')?.lists ?? []).not.toContain('FL');
});

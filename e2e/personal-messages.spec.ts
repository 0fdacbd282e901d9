// Personal messages in the contact list, end to end (browser mode on the built renderer, the test server speaking
// MSNP2–12): a contact's message and now-playing line under their name — decoded, shown as text, isolated for
// right-to-left text — your own message edited in place under your nickname and seen by the contact, and the
// account's highest protocol version in the connection settings, honoured at the next sign-in.
import { expect, test } from '@playwright/test';
import { ALL_VERSIONS } from './msn-server';
import { contactRow, expectAccessible, signIn, startApp, type App } from './contact-list-fixture';

let app: App | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a contact’s personal message and now playing under their name; my own edited in place and seen by them', async ({ page }) => {
  app = await startApp({ versions: [...ALL_VERSIONS] });
  const bob = await app.signInOther('bob@example.com', 'bobpass');
  // Escargot sends it back unescaped (`<PSM><b>&` …): shown exactly as typed, as text, never as markup.
  await bob.service.calls['messenger:set-personal-message']({ accountId: bob.accountId, message: '<b>fish</b> & chips — שלום' });
  await signIn(page, app);

  const row = contactRow(page, 'Bob');
  await expect(row.locator('.personal-line')).toHaveText('<b>fish</b> & chips — שלום');
  expect(await row.locator('.personal-line').evaluate((e) => e.tagName)).toBe('BDI');
  expect(await row.locator('b').count()).toBe(0);

  await bob.service.calls['messenger:set-now-playing']({ accountId: bob.accountId, media: { artist: 'Daft Punk', title: 'One More Time' } });
  await expect(row.locator('.personal-line')).toHaveText('♫ One More Time - Daft Punk');

  // My own: click the prompt under my nickname, type, Enter.
  await page.getByRole('button', { name: /^Personal message: / }).click();
  await page.getByRole('textbox', { name: 'Personal message' }).fill('Probe ✿ status 🦋');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Personal message: Probe ✿ status 🦋' })).toBeVisible();
  await expect.poll(() => bob.service.snapshot(bob.accountId).list.contacts.find((c) => c.email === 'alice@example.com')?.personalMessage).toBe('Probe ✿ status 🦋');
  await expectAccessible(page, 'the list with personal messages');
});

test('the highest protocol version is chosen in the connection settings and used at the next sign-in', async ({ page }) => {
  app = await startApp({ versions: [...ALL_VERSIONS] });
  await signIn(page, app);
  await expect(page.getByRole('button', { name: /^Personal message: / })).toBeVisible();
  await page.getByRole('button', { name: 'Options' }).click();
  const cap = page.getByLabel('Highest protocol version for alice@example.com');
  await expect(cap).toHaveValue('');
  await cap.selectOption('MSNP10');
  await expect(cap).toHaveValue('10');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, app);
  // MSNP10 has no personal messages: the editor is not offered, and the server saw MSNP10 offered first.
  await expect(page.getByRole('button', { name: /^Personal message: / })).toHaveCount(0);
  const vers = app.server.transcripts().flatMap((t) => t.entries).filter((e) => e.dir === 'C' && e.bytes.toString('utf8').startsWith('VER '));
  expect(vers.at(-1)?.bytes.toString('utf8')).toMatch(/^VER 1 MSNP10 MSNP9 /);
});

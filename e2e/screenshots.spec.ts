// The pictures in the README, from a journey of their own: `npm run screenshots` runs this with
// BUTTERFLY_SCREENSHOTS=docs/screenshots (otherwise they land in artifacts/screenshots). A list with people in
// several states, at Messenger's default window size and at a desktop's, light and dark, English and Portuguese.
import { expect, test, type Page } from '@playwright/test';
import type { AccountSpec } from './msn-server';
import { bigList, contactRow, sectionRow, shot, signIn, startApp, type App } from './contact-list-fixture';
import { startProxy, type RunningProxy } from './proxies';

let app: App | undefined;
let proxy: RunningProxy | undefined;
test.afterEach(async () => {
  await app?.close();
  await proxy?.stop();
  app = undefined;
  proxy = undefined;
});

const people: { email: string; nickname: string; group: number; status?: 'NLN' | 'BSY' | 'AWY' | 'BRB' | 'PHN' | 'LUN' }[] = [
  { email: 'marina@example.com', nickname: 'Marina ☀ na praia', group: 1, status: 'NLN' },
  { email: 'diego@example.com', nickname: 'Diego — back at 3', group: 1, status: 'BRB' },
  { email: 'sofia@example.com', nickname: 'Sofía', group: 1, status: 'BSY' },
  { email: 'joao@example.com', nickname: 'João (trabalhando)', group: 2, status: 'AWY' },
  { email: 'ana@example.com', nickname: 'Ana Clara 🎧', group: 2, status: 'NLN' },
  { email: 'lucas@example.com', nickname: 'Lucas', group: 3, status: 'PHN' },
  { email: 'carmen@example.com', nickname: 'Carmen', group: 3 },
  { email: 'pedro@example.com', nickname: 'Pedro', group: 1 },
  { email: 'rafa@example.com', nickname: 'Rafa ⚽', group: 2 },
];

function demoAccounts(): AccountSpec[] {
  return [
    {
      email: 'alice@example.com',
      password: 'alicepass',
      nickname: 'Alice ✿ feliz',
      groups: [
        { id: 0, name: 'Other Contacts' },
        { id: 1, name: 'Friends' },
        { id: 2, name: 'Family' },
        { id: 3, name: 'Work' },
      ],
      contacts: people.map((p) => ({ email: p.email, lists: ['FL', 'AL', 'RL'], groups: [p.group] })),
    },
    ...people.map((p) => ({ email: p.email, password: 'pass', nickname: p.nickname, contacts: [{ email: 'alice@example.com', lists: ['FL', 'AL', 'RL'] as ('FL' | 'AL' | 'RL')[] }] })),
  ];
}

async function populated(page: Page): Promise<App> {
  const a = await startApp({ accounts: demoAccounts() });
  for (const p of people) {
    if (!p.status) continue;
    const other = await a.signInOther(p.email, 'pass');
    if (p.status !== 'NLN') await other.service.calls['messenger:set-status']({ accountId: other.accountId, status: p.status });
  }
  await signIn(page, a);
  await expect(contactRow(page, 'Lucas')).toContainText('On the Phone');
  // Focus rings are for keyboard use; the pictures show the list at rest.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return a;
}

test('screenshots: sign-in, the list, dark mode, Portuguese, a wide window', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  app = await populated(page);
  await shot(page, 'contact-list');
  await contactRow(page, 'Sofía').click({ button: 'right' });
  await shot(page, 'contact-menu');
  await page.keyboard.press('Escape');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shot(page, 'contact-list-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.setViewportSize({ width: 1600, height: 1000 });
  await shot(page, 'contact-list-wide');
  await page.setViewportSize({ width: 360, height: 640 });

  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByRole('tab', { name: 'Appearance' }).click();
  await page.getByLabel('Language').selectOption('pt-BR');
  await page.getByRole('button', { name: 'Fechar' }).click();
  await expect(sectionRow(page, 'Offline')).toBeVisible();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shot(page, 'contact-list-pt-br');
  await page.getByRole('button', { name: 'Opções' }).click();
  await page.getByRole('tab', { name: 'Aparência' }).click();
  await page.getByLabel('Idioma').selectOption('en');
  await page.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Butterfly' })).toBeVisible();
  await page.getByLabel('Password').blur();
  await shot(page, 'sign-in');
});

test('screenshots: 2,000 contacts filtered, and the settings with a SOCKS5 proxy tested', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  app = await startApp({ accounts: bigList(2000, 30) });
  await signIn(page, app);
  for (const n of [72, 168, 264]) await app.signInOther(`contact${n}@example.com`, 'pass');
  await page.getByRole('searchbox', { name: 'Find a contact' }).fill('inês');
  await expect(contactRow(page, 'Inês 72')).toContainText('Online');
  await shot(page, 'big-list-filtered');
  await page.getByRole('searchbox', { name: 'Find a contact' }).fill('');

  proxy = await startProxy('dante-socks5-auth');
  await page.setViewportSize({ width: 420, height: 800 });
  await page.getByRole('button', { name: 'Options' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Connect', { exact: true }).selectOption('socks5');
  await dialog.getByLabel('Proxy host').fill('127.0.0.1');
  await dialog.getByLabel('Proxy port').fill(String(proxy.port));
  await dialog.getByLabel('User name (optional)').fill(proxy.username ?? '');
  await dialog.getByLabel('Proxy password').fill(proxy.password ?? '');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByRole('status', { name: 'Connection test' })).toContainText('Everything answered');
  await shot(page, 'settings-proxy');
});

// `npm run demo` as a newcomer runs it: the script starts, prints one address, and the app behind it signs in to the
// bundled demo server, where the demo bot is online with its URL-encoded nickname shown decoded.
import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function startDemo(): { child: ChildProcess; url: Promise<string>; output: () => string } {
  // --browser: the Electron binary may exist on a developer's machine; --no-build: the e2e stage runs after the build.
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'demo.ts'), '--browser', '--no-build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}/.exec(text);
      if (match) resolve(match[0]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`demo exited with ${code} before printing its address:\n${text}`)));
  });
  return { child, url, output: () => text };
}

test('npm run demo prints one address; the app there signs in to the demo server and shows the demo bot', async ({ page }) => {
  const demo = startDemo();
  try {
    const url = await demo.url;
    expect(demo.output()).toContain('alice@example.com      password alicepass');
    await page.goto(url);
    await page.getByLabel('E-mail address').fill('alice@example.com');
    await page.getByLabel('Password').fill('alicepass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const bot = page.getByRole('treeitem').filter({ hasText: 'Butterfly Bot ✿ démo 100%' });
    await expect(bot).toContainText('Online');
    await page.screenshot({ path: join(root, 'artifacts', 'screenshots', 'demo.png') });
  } finally {
    // Ctrl-C stops the server and the bridge and exits cleanly.
    const exited = demo.child.exitCode ?? (await new Promise<number | null>((resolve) => (demo.child.once('exit', resolve), demo.child.kill('SIGINT'))));
    expect(exited).toBe(0);
  }
});

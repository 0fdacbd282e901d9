// `npm run screenshots`: the pictures in the README, taken by the e2e journeys in e2e/screenshots.spec.ts and the conversation specs in Debian's
// Chromium against the test server, written to docs/screenshots (a newer build first, unless --no-build).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'docs', 'screenshots');
const run = (what: string, command: string, args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`screenshots: ${what} failed`);
    process.exit(result.status ?? 1);
  }
};

if (!process.argv.includes('--no-build')) run('the build', process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
run('the screenshot journey', process.execPath, [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', 'e2e/screenshots.spec.ts', 'e2e/conversations.spec.ts', 'e2e/conversation-journeys.spec.ts', 'e2e/conversation-format-sounds.spec.ts'], { BUTTERFLY_SCREENSHOTS: out });
console.log(`screenshots: written to ${out}`);

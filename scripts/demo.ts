// `npm run demo`: Butterfly with nothing to set up. Starts the bundled MSN test server with its demo accounts, builds
// the app, and opens it pointed at that server: the desktop app where the Electron binary is installed, otherwise
// browser mode (the same renderer and main-process service, over a loopback bridge) with one URL to open.
//   npm run demo                 desktop app if possible, browser mode otherwise
//   npm run demo -- --browser    browser mode even where Electron is installed
//   npm run demo -- --no-build   reuse the last build in out/
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../src-shared/connection-settings';
import { startBrowserMode } from '../src-main/shell/browser-main';
import { demoAccounts, DEMO_BOT_EMAIL, startTestServer } from '../e2e/msn-server';

const root = join(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (!['--browser', '--no-build'].includes(a)) {
    console.error(`demo: unknown option ${a} (use --browser, --no-build)`);
    process.exit(2);
  }
}

/**
 * The Electron binary's path, or undefined where `npm ci` could not download it (as on CI machines). Read the way the
 * electron package itself finds it, without requiring the package: that would try to download the binary now.
 */
function electronBinary(): string | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const pathFile = join(dir, 'path.txt');
    if (!override && !existsSync(pathFile)) return undefined;
    const binary = override ? join(override, readFileSync(pathFile, 'utf8').trim() || 'electron') : join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!args.has('--no-build') || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    console.log('Building Butterfly…');
    const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('the build failed (see above)');
  }

  const server = await startTestServer({ demo: true });
  const settings: ConnectionSettings = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
  // A fresh data directory each run, removed at the end: the demo's settings (the test server's ports change every
  // run) and list caches never mix with the user's real ones.
  const dataDir = mkdtempSync(join(tmpdir(), 'butterfly-demo-'));

  const accounts = demoAccounts()
    .filter((a) => a.email !== DEMO_BOT_EMAIL)
    .map((a) => `  ${a.email.padEnd(22)} password ${a.password}`);
  const intro = [
    '',
    `Demo MSN server on ${server.ns.host}:${server.ns.port} (Passport ${server.nexusUrl}).`,
    'Sign in with any of:',
    ...accounts,
    `The demo bot (${DEMO_BOT_EMAIL}) is always online in your list. To watch presence change live, sign in a second`,
    'account from another terminal with the command-line client:',
    `  BUTTERFLY_PASSWORD=bobpass npm run cli -- listen --seconds 600 --server ${server.ns.host}:${server.ns.port} --nexus ${server.nexusUrl} --email bob@example.com`,
  ];

  const electron = args.has('--browser') ? undefined : electronBinary();
  let stopApp: () => Promise<void>;
  if (electron) {
    console.log([...intro, '', 'Starting the desktop app…'].join('\n'));
    const child = spawn(electron, [root], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, BUTTERFLY_SERVER: `${server.ns.host}:${server.ns.port}`, BUTTERFLY_NEXUS: server.nexusUrl, BUTTERFLY_DATA_DIR: dataDir },
    });
    child.on('exit', () => void shutdown());
    stopApp = async () => void child.kill();
  } else {
    const bridge = await startBrowserMode({ rendererDir: join(root, 'out', 'renderer'), settings, dataDir, log: (line) => console.log(line) });
    const why = args.has('--browser') ? 'Browser mode (--browser).' : 'The Electron binary is not installed here, so Butterfly runs in browser mode.';
    console.log([...intro, '', why, 'Open this address in Chrome, Chromium, Edge or Firefox (it carries a one-time token; keep it private):', '', `  ${bridge.url}`, '', 'Press Ctrl-C to stop.'].join('\n'));
    stopApp = () => bridge.close();
  }

  let stopping = false;
  async function shutdown(): Promise<void> {
    if (stopping) return;
    stopping = true;
    await stopApp().catch(() => undefined);
    await server.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

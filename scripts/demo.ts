// `npm run demo`: Butterfly with nothing to set up. Starts the bundled MSN test server with its demo accounts, builds
// the app, and opens it pointed at that server: the desktop app where the Electron binary is installed, otherwise
// browser mode (the same renderer and main-process service, over a loopback bridge) with one address to open.
//   npm run demo                 desktop app if possible, browser mode otherwise
//   npm run demo -- --browser    browser mode even where Electron is installed
//   npm run demo -- --no-build   reuse the last build in out/
// Whatever happens — Ctrl-C, the app failing to start or crashing later, the window closed — one path stops what was
// started (the app, then the server) and removes the run's temporary data directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONNECTION_SETTINGS, type ConnectionSettings } from '../src-shared/connection-settings';
import { startBrowserMode } from '../src-main/shell/browser-main';
import { demoAccounts, DEMO_BOT_EMAIL, startTestServer, type TestServer } from '../e2e/msn-server';
import { electronBinary } from './bootstrap.mjs';

/** The app side of the demo, started against the test server. */
export interface DemoApp {
  /** What to tell the person once it is up (where to open it). */
  lines: string[];
  /** Settles when the app ends by itself: resolves when the person closed it, rejects when it failed. */
  ended: Promise<void>;
  stop(): Promise<void>;
}

export interface DemoContext {
  root: string;
  server: TestServer;
  settings: ConnectionSettings;
  dataDir: string;
  /** Browser mode even where the Electron binary exists. */
  browser: boolean;
  log: (line: string) => void;
}

export interface DemoOptions {
  root?: string;
  browser?: boolean;
  /** Build the app into out/ first. */
  build: boolean;
  /** Where the `butterfly-demo-*` data directory is made; the system's temp directory by default. */
  tmpRoot?: string;
  print?: (line: string) => void;
  printError?: (line: string) => void;
  /** Starts the app side; the desktop app or browser mode by default. */
  startApp?: (context: DemoContext) => Promise<DemoApp>;
  /** Resolves when the person asks to stop (Ctrl-C); rejects when something in this process crashed. */
  stopRequested: Promise<void>;
}

/** Runs the demo until it is asked to stop or the app ends; resolves with the exit status once everything is stopped. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const root = options.root ?? join(import.meta.dirname, '..');
  const print = options.print ?? ((line: string) => console.log(line));
  const printError = options.printError ?? ((line: string) => console.error(line));
  const stops: Array<() => Promise<void>> = [];
  let dataDir: string | undefined;
  // A process.exit() from anywhere (a second Ctrl-C) skips the orderly stop below; the data directory goes anyway.
  const removeDataDir = () => dataDir && rmSync(dataDir, { recursive: true, force: true });
  process.once('exit', removeDataDir);
  try {
    if (options.build) {
      print('Building Butterfly…');
      const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      if (build.status !== 0) throw new Error('the build failed (see above)');
    }
    const server = await startTestServer({ demo: true });
    stops.push(() => server.stop());
    // A fresh data directory each run: the demo's settings (the test server's ports change every run) and list caches
    // never mix with the person's real ones.
    dataDir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'butterfly-demo-'));
    const settings: ConnectionSettings = { ...DEFAULT_CONNECTION_SETTINGS, server: server.ns, nexusUrl: server.nexusUrl };
    const app = await (options.startApp ?? startApp)({ root, server, settings, dataDir, browser: options.browser ?? false, log: print });
    stops.push(() => app.stop());
    print([...intro(server), '', ...app.lines, '', 'Press Ctrl-C to stop.'].join('\n'));
    await Promise.race([options.stopRequested, app.ended]);
    return 0;
  } catch (error) {
    printError(`demo: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    print('Stopping the demo…');
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => printError(`demo: while stopping: ${String(error)}`));
    removeDataDir();
    process.off('exit', removeDataDir);
  }
}

function intro(server: TestServer): string[] {
  const ns = `${server.ns.host}:${server.ns.port}`;
  return [
    '',
    `Demo MSN server on ${ns} (Passport ${server.nexusUrl}).`,
    'Sign in with any of:',
    ...demoAccounts()
      .filter((a) => a.email !== DEMO_BOT_EMAIL)
      .map((a) => `  ${a.email.padEnd(22)} password ${a.password}`),
    `The demo bot (${DEMO_BOT_EMAIL}) is always online in your list. To watch presence change live, sign in a second`,
    'account from another terminal with the command-line client:',
    `  BUTTERFLY_PASSWORD=bobpass npm run cli -- listen --seconds 600 --server ${ns} --nexus ${server.nexusUrl} --email bob@example.com`,
  ];
}

/** The desktop app where Electron's binary is installed (and --browser was not given), browser mode otherwise. */
async function startApp(context: DemoContext): Promise<DemoApp> {
  const electron = context.browser ? undefined : electronBinary(context.root, process.env);
  if (electron) return startDesktopApp(electron, context);
  const bridge = await startBrowserMode({ rendererDir: join(context.root, 'out', 'renderer'), settings: context.settings, dataDir: context.dataDir, log: context.log });
  return {
    lines: [
      context.browser ? 'Browser mode (--browser).' : 'The Electron binary is not installed here, so Butterfly runs in browser mode.',
      'Open this address in Chrome, Chromium, Edge or Firefox (it carries a one-time token; keep it private):',
      '',
      `  ${bridge.url}`,
    ],
    ended: new Promise<void>(() => undefined), // a crash in the bridge reaches runDemo as stopRequested's rejection
    stop: () => bridge.close(),
  };
}

async function startDesktopApp(binary: string, { root, server, dataDir }: DemoContext): Promise<DemoApp> {
  const child = spawn(binary, [root], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BUTTERFLY_SERVER: `${server.ns.host}:${server.ns.port}`, BUTTERFLY_NEXUS: server.nexusUrl, BUTTERFLY_DATA_DIR: dataDir },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  const ended = exited.then(({ code, signal }) => {
    if (code !== 0) throw new Error(`the desktop app exited with ${code ?? signal}`);
  });
  ended.catch(() => undefined); // settles after a stop too, when nobody is waiting for it any more
  return { lines: ['The desktop app is starting.'], ended, stop: () => stopChild(child, exited) };
}

/** SIGTERM, then SIGKILL if it has not exited within graceMs. */
async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.find((a) => !['--browser', '--no-build'].includes(a));
  if (unknown) {
    console.error(`demo: unknown option ${unknown} (use --browser, --no-build)`);
    process.exit(2);
  }
  const stopRequested = new Promise<void>((resolve, reject) => {
    let asked = false;
    const ask = () => {
      if (asked) process.exit(130); // a second Ctrl-C while stopping: quit now (the data directory still goes)
      asked = true;
      resolve();
    };
    process.on('SIGINT', ask);
    process.on('SIGTERM', ask);
    process.on('uncaughtException', reject);
    process.on('unhandledRejection', reject);
  });
  const built = existsSync(join(import.meta.dirname, '..', 'out', 'renderer', 'index.html'));
  void runDemo({ browser: args.includes('--browser'), build: !(args.includes('--no-build') && built), stopRequested }).then((status) => process.exit(status));
}

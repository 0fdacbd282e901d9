// `npm test` and `npm run demo` start here, in plain Node, because nothing from node_modules can be used before the
// install. In order: the Node version; for `npm test`, the system packages the tests need (installed with apt-get on
// Debian as root, otherwise named with the command that installs them); `npm ci` when node_modules is missing or was
// installed from another package-lock.json or Node; for the demo, Electron's binary (browser mode where it cannot be
// had); then the TypeScript script itself (`node --import tsx scripts/<command>.ts …`).
//   node scripts/bootstrap.mjs test [stage…]
//   node scripts/bootstrap.mjs demo [--browser] [--no-build]
// Every step is a function with its side effects injected, so scripts/bootstrap.test.ts can run it in a temp copy.
/* global process, console, setTimeout, clearTimeout */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** What the bootstrap records in node_modules after a good install (`npm ci` removes it with the rest). */
export const INSTALL_MARKER = join('node_modules', '.butterfly-install.json');

/**
 * Packages whose `engines` ask for a newer Node than running and testing need: npm warns about them (EBADENGINE) on
 * Node 20. Electron's binary downloader and electron-builder's native-module rebuild only run when downloading
 * Electron or packaging (README: Node versions); a package outside this list wanting a newer Node gets a warning.
 */
export const PACKAGING_TOOLS = ['electron', '@electron/get', '@electron-internal/extract-zip', '@electron/rebuild', 'node-abi'];

/** A failure the person can act on: printed as it is, without a stack trace. */
export class BootstrapError extends Error {}

// ── Node versions ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Whether `version` satisfies an npm range, for the forms `engines` fields use: `||`, space-separated comparators
 * (`>=`, `>`, `<=`, `<`, `=`), `^`, `~`, partial versions and `*`/`x`. Undefined for any other form.
 * @param {string} version  e.g. "20.20.2"
 * @param {string} range    e.g. "^20.19.0 || >=22.12.0"
 * @returns {boolean | undefined}
 */
export function satisfies(version, range) {
  const v = parseVersion(version);
  if (!v) return undefined;
  let any = false;
  for (const set of range.split('||')) {
    const comparators = set.trim().replace(/([<>=^~]+)\s+/g, '$1').split(/\s+/).filter(Boolean);
    let all = true;
    for (const c of comparators.length ? comparators : ['*']) {
      const ok = compareOne(v, c);
      if (ok === undefined) return undefined;
      all &&= ok;
    }
    any ||= all;
  }
  return any;
}

/** @param {string} text @returns {number[] | undefined} */
function parseVersion(text) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** @param {number[]} a @param {number[]} b */
function cmp(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** @param {number[]} v @param {string} comparator @returns {boolean | undefined} */
function compareOne(v, comparator) {
  const m = /^(>=|<=|>|<|=|\^|~)?v?(\*|x|\d+)(?:\.(\*|x|\d+))?(?:\.(\*|x|\d+))?$/i.exec(comparator);
  if (!m) return undefined;
  const op = m[1] ?? '';
  const parts = [m[2], m[3], m[4]].map((p) => (p === undefined || /^[*x]$/i.test(p) ? undefined : Number(p)));
  const given = parts.findIndex((p) => p === undefined);
  const precision = given === -1 ? 3 : given; // how many leading parts were written
  const low = parts.map((p) => p ?? 0);
  if (precision === 0) return op === '<' || op === '>' ? false : true; // '*'
  /** the first version above the written prefix, e.g. 22.x → 23.0.0 */
  const above = (/** @type {number} */ n) => low.map((p, i) => (i < n - 1 ? p : i === n - 1 ? p + 1 : 0));
  switch (op) {
    case '>=':
      return cmp(v, low) >= 0;
    case '>':
      return precision === 3 ? cmp(v, low) > 0 : cmp(v, above(precision)) >= 0;
    case '<':
      return cmp(v, low) < 0;
    case '<=':
      return precision === 3 ? cmp(v, low) <= 0 : cmp(v, above(precision)) < 0;
    case '^': {
      const first = low.findIndex((p) => p !== 0);
      const fixed = Math.min(first === -1 ? precision : first + 1, precision);
      return cmp(v, low) >= 0 && cmp(v, above(fixed)) < 0;
    }
    case '~':
      return cmp(v, low) >= 0 && cmp(v, above(Math.min(precision, 2))) < 0;
    default: // '=' or a bare version: that version, or anything under the written prefix
      return cmp(v, low) >= 0 && (precision === 3 ? cmp(v, low) === 0 : cmp(v, above(precision)) < 0);
  }
}

/**
 * Stops before anything else when this Node is outside package.json's `engines`.
 * @param {string} root @param {string} nodeVersion
 */
export function checkNode(root, nodeVersion) {
  const range = readJson(join(root, 'package.json')).engines.node;
  if (satisfies(nodeVersion, range) === false) {
    throw new BootstrapError(`Butterfly needs Node ${range}; this is Node ${nodeVersion}. Install a supported Node (https://nodejs.org) and run the command again.`);
  }
}

/**
 * The packages in package-lock.json whose `engines.node` this Node does not satisfy: what npm warns about.
 * @param {string} root @param {string} nodeVersion @returns {string[]}
 */
export function enginesNotSatisfied(root, nodeVersion) {
  const names = new Set();
  for (const [path, entry] of Object.entries(readJson(join(root, 'package-lock.json')).packages ?? {})) {
    const range = entry?.engines?.node;
    if (path && typeof range === 'string' && satisfies(nodeVersion, range) === false) names.add(path.slice(path.lastIndexOf('node_modules/') + 13));
  }
  return [...names].sort();
}

// ── System packages (npm test) ─────────────────────────────────────────────────────────────────────────────────────

/**
 * @typedef {object} Requirement
 * @property {string} debian   the Debian package providing it
 * @property {string[]} probes  every one must be found: a command on PATH, or an absolute path (where the tests start it)
 * @property {string} why
 * @property {string[] | 'all'} stages  the `npm test` stages that need it
 */

/**
 * What `npm test` needs from the system, at the paths the tests use.
 * @param {NodeJS.ProcessEnv} env @returns {Requirement[]}
 */
export function systemRequirements(env) {
  const integration = ['integration'];
  const e2e = ['e2e'];
  return [
    { debian: 'python3', probes: ['python3'], why: 'node-gyp, to build native modules', stages: 'all' },
    { debian: 'make', probes: ['make'], why: 'node-gyp, to build native modules', stages: 'all' },
    { debian: 'g++', probes: ['g++'], why: 'node-gyp, to build native modules', stages: 'all' },
    { debian: 'chromium', probes: [env.BUTTERFLY_CHROMIUM || '/usr/bin/chromium'], why: 'the browser tests', stages: e2e },
    { debian: 'fonts-noto-color-emoji', probes: ['/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'], why: 'emoji in screenshots', stages: e2e },
    { debian: 'dante-server', probes: ['/usr/sbin/danted'], why: 'SOCKS4/5 proxy tests', stages: integration },
    { debian: 'microsocks', probes: ['/usr/bin/microsocks'], why: 'SOCKS5 proxy tests', stages: integration },
    { debian: 'tinyproxy', probes: ['/usr/bin/tinyproxy'], why: 'HTTP proxy tests', stages: integration },
    { debian: 'squid', probes: ['/usr/sbin/squid'], why: 'HTTP proxy tests', stages: integration },
    { debian: 'openssh-server', probes: ['/usr/sbin/sshd'], why: 'SOCKS4a proxy tests (ssh -D)', stages: integration },
    { debian: 'openssh-client', probes: ['ssh', 'ssh-keygen'], why: 'SOCKS4a proxy tests (ssh -D)', stages: integration },
    { debian: 'openssl', probes: ['openssl'], why: 'test certificates and proxy passwords', stages: integration },
    { debian: 'iproute2', probes: ['ip'], why: 'the isolated-network client tests', stages: integration },
  ];
}

/**
 * Finds a probe: an absolute path that exists, or a command on PATH (and in the sbin folders, which a non-root PATH
 * often lacks).
 * @param {NodeJS.ProcessEnv} env @returns {(probe: string) => boolean}
 */
export function systemLookup(env) {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/sbin'];
  const executable = (/** @type {string} */ file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  return (probe) => (isAbsolute(probe) ? existsSync(probe) : dirs.some((d) => executable(join(d, probe))));
}

/**
 * @typedef {object} Platform
 * @property {boolean} debian  Debian or a derivative with apt-get
 * @property {boolean} root
 */

/** @param {(probe: string) => boolean} lookup @returns {Platform} */
export function detectPlatform(lookup) {
  return { debian: existsSync('/etc/debian_version') && lookup('apt-get'), root: process.getuid?.() === 0 };
}

/**
 * @typedef {(command: string, args: string[], options?: { cwd?: string, env?: NodeJS.ProcessEnv }) => Promise<number>} Run
 *   runs a command with the terminal as its output; resolves with its exit status (128 + n when killed by a signal)
 */

/**
 * Makes sure the system has what the given `npm test` stages need (all of them when none are named): on Debian as
 * root, apt-get installs what is missing; anywhere else it stops, naming what is missing and how to install it.
 * @param {{ stages: string[], env: NodeJS.ProcessEnv, lookup: (probe: string) => boolean, platform: Platform, run: Run, print: (line: string) => void, now?: () => number }} o
 */
export async function ensureSystem(o) {
  const now = o.now ?? Date.now;
  const needed = (/** @type {Requirement} */ r) => r.stages === 'all' || o.stages.length === 0 || r.stages.some((s) => o.stages.includes(s));
  const findMissing = () => systemRequirements(o.env).filter((r) => needed(r) && !r.probes.every(o.lookup));
  const missing = findMissing();
  if (missing.length === 0) return;
  const packages = missing.map((r) => r.debian);
  const list = missing.map((r) => `  ${r.debian.padEnd(24)} ${r.why} (${r.probes.join(', ')})`).join('\n');
  const aptLine = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (!o.platform.debian) {
    throw new BootstrapError(
      [
        'npm test needs these programs, at these paths, and this system lacks them:',
        list,
        'The tests run against Debian\'s packages: on Debian 12 (or a container of it) as root, npm test installs them itself;',
        `as another user there: sudo ${aptLine}`,
      ].join('\n'),
    );
  }
  if (!o.platform.root) {
    throw new BootstrapError(['npm test needs these Debian packages, which are not installed:', list, 'Install them with:', `  sudo ${aptLine}`, 'then run npm test again.'].join('\n'));
  }
  o.print(`Installing from Debian what the tests need: ${packages.join(' ')}`);
  const started = now();
  const env = { ...o.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...packages]]) {
    const status = await o.run('apt-get', args, { env });
    if (status !== 0) throw new BootstrapError(`apt-get ${args[0]} failed (exit ${status}); see its messages above. npm test needs: ${packages.join(' ')}`);
  }
  const still = findMissing();
  if (still.length > 0) throw new BootstrapError(`apt-get installed ${packages.join(' ')}, but these are still missing: ${still.flatMap((r) => r.probes).join(', ')}`);
  o.print(`System packages installed in ${seconds(now() - started)}.`);
}

// ── npm ci ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * @typedef {object} InstallMarker
 * @property {string} lockHash  sha256 of the package-lock.json installed from
 * @property {string} runtime   platform, CPU and Node ABI the native modules were built for
 * @property {string} [electron]  why Electron's binary could not be had, when it could not
 */

/** @returns {string} */
export function runtimeId() {
  return `${process.platform}-${process.arch}-node-abi-${process.versions.modules}`;
}

/** @param {string} root */
export function lockHash(root) {
  const file = join(root, 'package-lock.json');
  if (!existsSync(file)) throw new BootstrapError('package-lock.json is missing: it pins every dependency. Restore it from git (git checkout package-lock.json).');
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** @param {string} root @returns {InstallMarker | undefined} */
export function readMarker(root) {
  try {
    const m = readJson(join(root, INSTALL_MARKER));
    return typeof m?.lockHash === 'string' && typeof m.runtime === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} root @param {InstallMarker} marker */
function writeMarker(root, marker) {
  writeFileSync(join(root, INSTALL_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/**
 * Whether npm's own record of the tree it installed (node_modules/.package-lock.json) is package-lock.json's tree: every
 * installed package at its locked version and integrity, and every locked package installed but the optional ones
 * (other platforms' binaries). Lets a node_modules installed by hand with `npm ci` count without reinstalling.
 * @param {string} root
 */
export function installedTreeMatchesLock(root) {
  try {
    const locked = readJson(join(root, 'package-lock.json')).packages;
    const installed = readJson(join(root, 'node_modules', '.package-lock.json')).packages;
    for (const [path, entry] of Object.entries(installed)) {
      const want = locked[path];
      if (!want || want.version !== entry.version || want.integrity !== entry.integrity) return false;
    }
    return Object.entries(locked).every(([path, entry]) => path === '' || path in installed || entry.optional === true);
  } catch {
    return false;
  }
}

/**
 * Why `npm ci` must run, or undefined when node_modules is what package-lock.json describes, for this Node.
 * @param {string} root @param {InstallMarker | undefined} marker @param {InstallMarker} wanted
 */
export function installReason(root, marker, wanted) {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!marker) return installedTreeMatchesLock(root) ? undefined : 'node_modules was not installed from this package-lock.json';
  if (marker.lockHash !== wanted.lockHash) return 'package-lock.json changed since the last install';
  if (marker.runtime !== wanted.runtime) return `node_modules was built for another Node (${marker.runtime}; this is ${wanted.runtime})`;
  return undefined;
}

/**
 * Runs `npm ci` unless node_modules is up to date, recording the lock file's hash afterwards.
 * @param {{ root: string, npm: (args: string[]) => Promise<number>, print: (line: string) => void, nodeVersion: string, now?: () => number }} o
 * @returns {Promise<boolean>} whether it installed
 */
export async function ensureInstalled(o) {
  const now = o.now ?? Date.now;
  const wanted = { lockHash: lockHash(o.root), runtime: runtimeId() };
  const marker = readMarker(o.root);
  const reason = installReason(o.root, marker, wanted);
  if (!reason) {
    if (!marker) writeMarker(o.root, wanted);
    return false;
  }
  o.print(`Installing dependencies with npm ci (${reason})…`);
  const started = now();
  const status = await o.npm(['ci', '--include=dev', '--no-audit', '--no-fund']);
  const took = seconds(now() - started);
  if (status !== 0) {
    throw new BootstrapError(
      `npm ci failed (exit ${status}) after ${took}; see npm's messages above. If it failed building a native module, install Python 3, make and a C++ compiler (Debian: apt-get install python3 make g++; macOS: xcode-select --install) and run the command again.`,
    );
  }
  writeMarker(o.root, wanted);
  o.print(`Dependencies installed in ${took}.`);
  const newer = enginesNotSatisfied(o.root, o.nodeVersion);
  const tools = newer.filter((n) => PACKAGING_TOOLS.includes(n));
  const others = newer.filter((n) => !PACKAGING_TOOLS.includes(n));
  if (tools.length) o.print(`(The EBADENGINE warnings above name ${tools.join(', ')}: Electron's binary downloader and electron-builder's tools, which declare a newer Node; running and testing Butterfly do not need them. README: "Node versions".)`);
  if (others.length) o.print(`Warning: ${others.join(', ')} want a newer Node than ${o.nodeVersion}; Butterfly may not work with it.`);
  return true;
}

// ── Electron's binary (npm run demo) ───────────────────────────────────────────────────────────────────────────────

/**
 * The Electron binary's path, or undefined where it has not been downloaded. Electron 45 downloads it on first use
 * (no install script); read the way its index.js finds it, without loading that, which would start the download.
 * @param {string} root @param {NodeJS.ProcessEnv} env @returns {string | undefined}
 */
export function electronBinary(root, env) {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron') : relative && join(dir, 'dist', relative);
  return binary && existsSync(binary) ? binary : undefined;
}

/**
 * @typedef {(command: string, args: string[], options: { cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number }) => Promise<{ status: number, output: string, interrupted?: boolean }>} Capture
 *   runs a command with its output collected (the last few KB), killed after timeoutMs; `interrupted` when a signal
 *   from elsewhere (Ctrl-C) ended it
 */

/**
 * Tries once per install to download Electron's binary for the desktop app. When that fails or is impossible, says so
 * in one line: the demo then runs in browser mode. A failure is remembered until the next install (`npx
 * install-electron` tries again by hand).
 * @param {{ root: string, env: NodeJS.ProcessEnv, capture: Capture, print: (line: string) => void, timeoutMs?: number, now?: () => number }} o
 * @returns {Promise<boolean>} whether the binary is there
 */
export async function ensureElectron(o) {
  const now = o.now ?? Date.now;
  if (electronBinary(o.root, o.env)) return true;
  const marker = readMarker(o.root);
  if (marker?.electron) return false; // said at the last attempt; the demo says browser mode itself
  const unavailable = 'the desktop app is unavailable here, so the demo uses browser mode.';
  if (o.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    o.print(`Electron's binary is not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): ${unavailable}`);
    return false;
  }
  o.print('Downloading the Electron binary for the desktop app…');
  const started = now();
  const result = await o.capture(process.execPath, [join(o.root, 'node_modules', 'electron', 'install.js')], { cwd: o.root, env: o.env, timeoutMs: o.timeoutMs ?? 10 * 60_000 });
  if (result.interrupted) throw new BootstrapError('Interrupted.');
  if (result.status === 0 && electronBinary(o.root, o.env)) {
    o.print(`Electron downloaded in ${seconds(now() - started)}.`);
    return true;
  }
  const reason = firstLine(result.output) || `exit ${result.status}`;
  if (marker) writeMarker(o.root, { ...marker, electron: reason });
  o.print(`Electron's binary could not be downloaded (${reason}): ${unavailable}`);
  return false;
}

// ── Running ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The child running now, if any: a Ctrl-C is its to handle, a SIGTERM is passed on to it. */
/** @type {import('node:child_process').ChildProcess | undefined} */
let foreground;

/** @type {Run} */
export function runInherited(command, args, options = {}) {
  return new Promise((done) => {
    const child = (foreground = spawn(command, args, { stdio: 'inherit', cwd: options.cwd, env: options.env ?? process.env }));
    child.once('error', (error) => {
      console.error(`${command}: ${error.message}`);
      done(127);
    });
    child.once('exit', (code, signal) => {
      foreground = undefined;
      done(code ?? 128 + (signal ? osConstants.signals[signal] : 0));
    });
  });
}

/** @type {Capture} */
export function runCaptured(command, args, options) {
  return new Promise((done) => {
    const child = (foreground = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd, env: options.env }));
    let output = '';
    const keep = (/** @type {Buffer} */ chunk) => (output = (output + chunk.toString()).slice(-4096));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => done({ status: 127, output: error.message }));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      foreground = undefined;
      if (timedOut) output = `timed out after ${seconds(options.timeoutMs)}`;
      done({ status: code ?? 1, output, interrupted: signal !== null && !timedOut });
    });
  });
}

/**
 * The whole bootstrap for one command; resolves with the exit status to end with.
 * @param {string[]} argv  [command, ...args]
 * @param {{ root?: string, env?: NodeJS.ProcessEnv, print?: (line: string) => void, run?: Run, capture?: Capture, lookup?: (probe: string) => boolean, platform?: Platform }} [deps]
 */
export async function bootstrap(argv, deps = {}) {
  const root = deps.root ?? resolve(here, '..');
  const env = deps.env ?? process.env;
  const print = deps.print ?? ((line) => console.log(line));
  const run = deps.run ?? runInherited;
  const [command, ...args] = argv;
  if (command !== 'test' && command !== 'demo') throw new BootstrapError('usage: node scripts/bootstrap.mjs test|demo [args…]');
  const nodeVersion = process.versions.node;
  checkNode(root, nodeVersion);
  if (command === 'test') {
    const lookup = deps.lookup ?? systemLookup(env);
    await ensureSystem({ stages: args.filter((a) => !a.startsWith('-')), env, lookup, platform: deps.platform ?? detectPlatform(lookup), run, print });
  }
  // The npm that runs this script (npm_execpath), so a second npm on PATH cannot install with other rules.
  const npm = (/** @type {string[]} */ npmArgs) => (env.npm_execpath ? run(process.execPath, [env.npm_execpath, ...npmArgs], { cwd: root, env }) : run('npm', npmArgs, { cwd: root, env }));
  await ensureInstalled({ root, npm, print, nodeVersion });
  if (command === 'demo') await ensureElectron({ root, env, capture: deps.capture ?? runCaptured, print });
  return run(process.execPath, ['--import', 'tsx', join('scripts', `${command}.ts`), ...args], { cwd: root, env });
}

/** @param {string} file */
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** @param {string} text */
function firstLine(text) {
  return (text.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 200);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Ctrl-C reaches every process of the terminal's group: a running child handles it (the demo cleans up) and we wait
  // for it to exit, then exit with its status. A SIGTERM sent to us alone is passed on to the child.
  process.on('SIGINT', () => foreground ?? process.exit(130));
  process.on('SIGTERM', () => (foreground ? foreground.kill('SIGTERM') : process.exit(143)));
  bootstrap(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error) => {
      console.error(error instanceof BootstrapError ? `\n${error.message}` : error);
      process.exit(1);
    },
  );
}

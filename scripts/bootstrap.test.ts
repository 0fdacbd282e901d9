// The bootstrap's steps in a temp copy of the project files, with npm, apt-get and the system lookup injected. The
// real `npm ci`, the real Electron download failing and the real demo on a fresh clone: first-run.int.test.ts.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BootstrapError,
  INSTALL_MARKER,
  PACKAGING_TOOLS,
  bootstrap,
  checkNode,
  ensureElectron,
  ensureInstalled,
  ensureSystem,
  enginesNotSatisfied,
  runtimeId,
  satisfies,
  systemRequirements,
} from './bootstrap.mjs';
import { stageNames } from './test';

const root = join(import.meta.dirname, '..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

let dir: string;
let printed: string[];
const print = (line: string) => void printed.push(line);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'butterfly-bootstrap-'));
  printed = [];
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(root, f), join(dir, f));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for `npm ci`: replaces node_modules as npm would, and records its arguments. */
function fakeNpm(status = 0) {
  const calls: string[][] = [];
  const npm = async (args: string[]) => {
    calls.push(args);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    if (status === 0) mkdirSync(join(dir, 'node_modules'));
    return status;
  };
  return { npm, calls };
}

describe('Node versions', () => {
  it('reads engines ranges as npm does (checked against the semver package on every range in package-lock.json)', () => {
    const semver = createRequire(import.meta.url)('semver') as { satisfies(v: string, r: string): boolean };
    const ranges = new Set<string>(['^0.2.3', '^0.0.3', '~1.2', '>22', '<=22', '22.x', '=20.19.0', '*', '>=20 <21 || ^24']);
    for (const entry of Object.values(lock.packages) as { engines?: { node?: string } }[]) if (typeof entry.engines?.node === 'string') ranges.add(entry.engines.node);
    const versions = ['0.2.3', '0.2.9', '0.3.0', '0.0.3', '0.0.4', '1.2.9', '1.3.0', '16.0.0', '18.20.8', '20.18.3', '20.19.0', '20.20.2', '21.7.3', '22.0.0', '22.12.0', '22.13.0', '23.5.0', '24.0.0', '26.1.0'];
    let compared = 0;
    for (const range of ranges) {
      for (const version of versions) {
        const ours = satisfies(version, range);
        if (ours === undefined) continue;
        expect(ours, `${version} in ${range}`).toBe(semver.satisfies(version, range));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(ranges.size * versions.length * 0.9);
  });

  it('stops on a Node outside package.json engines, naming the range', () => {
    for (const ok of ['20.19.0', '20.20.2', '22.13.0', '24.1.0']) expect(() => checkNode(dir, ok)).not.toThrow();
    for (const bad of ['18.20.8', '20.18.3', '21.7.3', '22.12.0', '23.11.0']) expect(() => checkNode(dir, bad)).toThrow(/needs Node \^20\.19\.0 \|\| \^22\.13\.0 \|\| >=24; this is Node/);
  });

  it('on Node 20 npm warns only about the packaging tools; on 22.13 and 24 about nothing', () => {
    const on20 = enginesNotSatisfied(root, '20.19.0');
    expect(on20.length).toBeGreaterThan(0);
    expect(on20.filter((n) => !PACKAGING_TOOLS.includes(n))).toEqual([]);
    expect(enginesNotSatisfied(root, '22.13.0')).toEqual([]);
    expect(enginesNotSatisfied(root, '24.0.0')).toEqual([]);
  });
});

describe('system packages for npm test', () => {
  const env = { PATH: '/usr/bin' };
  /** A system where everything but `absent` is found; apt-get "installs" what it is asked for. */
  function system(absent: string[]) {
    const gone = new Set(absent);
    const runs: string[] = [];
    const lookup = (probe: string) => !gone.has(probe);
    const run = async (command: string, args: string[]) => {
      runs.push([command, ...args].join(' '));
      if (args[0] === 'install') for (const r of systemRequirements(env)) if (args.includes(r.debian)) r.probes.forEach((p) => gone.delete(p));
      return 0;
    };
    return { lookup, run, runs };
  }

  it('does nothing when everything is there', async () => {
    const s = system([]);
    await ensureSystem({ stages: [], env, lookup: s.lookup, platform: { debian: true, root: true }, run: s.run, print });
    expect(s.runs).toEqual([]);
    expect(printed).toEqual([]);
  });

  it('on Debian as root installs what is missing with apt-get', async () => {
    const s = system(['/usr/sbin/danted', 'ssh-keygen']);
    await ensureSystem({ stages: [], env, lookup: s.lookup, platform: { debian: true, root: true }, run: s.run, print });
    expect(s.runs).toEqual(['apt-get update -q', 'apt-get install -y -q --no-install-recommends dante-server openssh-client']);
    expect(printed[0]).toBe('Installing from Debian what the tests need: dante-server openssh-client');
    expect(printed[1]).toMatch(/^System packages installed in \d+\.\d s\.$/);
  });

  it('on Debian as another user names the packages and the install line, and stops', async () => {
    const s = system(['/usr/bin/microsocks', '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf']);
    const failure = ensureSystem({ stages: [], env, lookup: s.lookup, platform: { debian: true, root: false }, run: s.run, print });
    await expect(failure).rejects.toThrow(BootstrapError);
    await expect(failure).rejects.toThrow('\n  sudo apt-get install -y --no-install-recommends fonts-noto-color-emoji microsocks\n');
    await expect(failure).rejects.toThrow(/microsocks +SOCKS5 proxy tests \(\/usr\/bin\/microsocks\)/);
    expect(s.runs).toEqual([]);
  });

  it('elsewhere names what is missing and where the tests expect it, and stops', async () => {
    const s = system(['/usr/bin/chromium']);
    const failure = ensureSystem({ stages: [], env, lookup: s.lookup, platform: { debian: false, root: true }, run: s.run, print });
    await expect(failure).rejects.toThrow(/npm test needs these programs.*\n {2}chromium +the browser tests \(\/usr\/bin\/chromium\)\n[^]*apt-get install -y --no-install-recommends chromium/);
    expect(s.runs).toEqual([]);
  });

  it('checks only what the named stages need (build tools always), and BUTTERFLY_CHROMIUM moves Chromium', async () => {
    const s = system(['/usr/bin/chromium', '/usr/sbin/squid']);
    await ensureSystem({ stages: ['unit', 'build'], env, lookup: s.lookup, platform: { debian: false, root: false }, run: s.run, print });
    await expect(ensureSystem({ stages: ['integration'], env, lookup: s.lookup, platform: { debian: false, root: false }, run: s.run, print })).rejects.toThrow(/squid/);
    await ensureSystem({ stages: ['e2e'], env: { ...env, BUTTERFLY_CHROMIUM: '/opt/chromium' }, lookup: s.lookup, platform: { debian: false, root: false }, run: s.run, print });
    const tools = system(['g++']);
    await expect(ensureSystem({ stages: ['unit'], env, lookup: tools.lookup, platform: { debian: false, root: false }, run: tools.run, print })).rejects.toThrow(/g\+\+ +node-gyp/);
  });

  it('says which apt-get step failed, and what is still missing after it', async () => {
    const failing = async () => 100;
    await expect(ensureSystem({ stages: [], env, lookup: () => false, platform: { debian: true, root: true }, run: failing, print })).rejects.toThrow(/^apt-get update failed \(exit 100\)/);
    const noop = async () => 0;
    await expect(ensureSystem({ stages: ['e2e'], env, lookup: (p) => p !== '/usr/bin/chromium', platform: { debian: true, root: true }, run: noop, print })).rejects.toThrow('still missing: /usr/bin/chromium');
  });

  it('tags only stages that scripts/test.ts runs', () => {
    for (const r of systemRequirements(env)) if (r.stages !== 'all') for (const s of r.stages) expect(stageNames).toContain(s);
  });
});

describe('npm ci when needed', () => {
  const install = (npm: (args: string[]) => Promise<number>) => ensureInstalled({ root: dir, npm, print, nodeVersion: '20.19.0' });

  it('installs where node_modules is missing, records the lock file, and says how long it took', async () => {
    const { npm, calls } = fakeNpm();
    expect(await install(npm)).toBe(true);
    expect(calls).toEqual([['ci', '--include=dev', '--no-audit', '--no-fund']]);
    expect(printed[0]).toBe('Installing dependencies with npm ci (node_modules is missing)…');
    expect(printed[1]).toMatch(/^Dependencies installed in \d+\.\d s\.$/);
    expect(printed[2]).toMatch(/^\(The EBADENGINE warnings above name .*electron.*: Electron's binary downloader and electron-builder's tools/);
    const marker = JSON.parse(readFileSync(join(dir, INSTALL_MARKER), 'utf8'));
    expect(marker).toEqual({ lockHash: expect.stringMatching(/^[0-9a-f]{64}$/), runtime: runtimeId() });
  });

  it('skips when node_modules was installed from this lock file', async () => {
    const { npm, calls } = fakeNpm();
    await install(npm);
    printed = [];
    expect(await install(npm)).toBe(false);
    expect(calls).toHaveLength(1);
    expect(printed).toEqual([]);
  });

  it('re-installs when package-lock.json changed (by content, not by time)', async () => {
    const { npm, calls } = fakeNpm();
    await install(npm);
    writeFileSync(join(dir, 'package-lock.json'), readFileSync(join(dir, 'package-lock.json'), 'utf8') + '\n');
    printed = [];
    expect(await install(npm)).toBe(true);
    expect(calls).toHaveLength(2);
    expect(printed[0]).toBe('Installing dependencies with npm ci (package-lock.json changed since the last install)…');
  });

  it('re-installs when node_modules was built for another Node ABI', async () => {
    const { npm, calls } = fakeNpm();
    await install(npm);
    const marker = JSON.parse(readFileSync(join(dir, INSTALL_MARKER), 'utf8'));
    writeFileSync(join(dir, INSTALL_MARKER), JSON.stringify({ ...marker, runtime: 'linux-x64-node-abi-108' }));
    await install(npm);
    expect(calls).toHaveLength(2);
    expect(printed).toContainEqual(expect.stringMatching(/built for another Node \(linux-x64-node-abi-108; this is /));
  });

  it('keeps a node_modules that npm itself recorded as this lock file’s tree, and re-installs one that differs', async () => {
    // npm's record of what it installed: the lock file's packages without the root and other platforms' binaries.
    const installed = Object.fromEntries(Object.entries(lock.packages as Record<string, { optional?: boolean; version?: string }>).filter(([path, e]) => path !== '' && !e.optional));
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: installed }));
    const { npm, calls } = fakeNpm();
    expect(await install(npm)).toBe(false);
    expect(calls).toEqual([]);
    expect(existsSync(join(dir, INSTALL_MARKER))).toBe(true);

    rmSync(join(dir, INSTALL_MARKER));
    const [first] = Object.keys(installed);
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: { ...installed, [first]: { ...installed[first], version: '0.0.0-other' } } }));
    expect(await install(npm)).toBe(true);
    expect(printed[0]).toBe('Installing dependencies with npm ci (node_modules was not installed from this package-lock.json)…');

    // A locked package that is not installed (and not another platform's optional binary) also means npm ci.
    rmSync(join(dir, INSTALL_MARKER));
    const { [first]: _missing, ...fewer } = installed;
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages: fewer }));
    expect(await install(npm)).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('a failed npm ci records nothing, says how long it ran and what native builds need', async () => {
    const { npm } = fakeNpm(1);
    await expect(install(npm)).rejects.toThrow(/^npm ci failed \(exit 1\) after \d+\.\d s; see npm's messages above\. .*python3 make g\+\+/);
    expect(existsSync(join(dir, INSTALL_MARKER))).toBe(false);
  });
});

describe("Electron's binary for the demo", () => {
  const electronDir = () => join(dir, 'node_modules', 'electron');
  async function installed() {
    await ensureInstalled({ root: dir, npm: fakeNpm().npm, print: () => undefined, nodeVersion: '22.13.0' });
  }
  function placeBinary() {
    mkdirSync(join(electronDir(), 'dist'), { recursive: true });
    writeFileSync(join(electronDir(), 'path.txt'), 'electron');
    writeFileSync(join(electronDir(), 'dist', 'electron'), '');
  }
  function fakeDownload(result: { status: number; output: string; interrupted?: boolean }, onRun = () => undefined as void) {
    const calls: string[][] = [];
    const capture = async (command: string, args: string[]) => {
      calls.push([command, ...args]);
      onRun();
      return result;
    };
    return { capture, calls };
  }

  it('uses the binary that is there', async () => {
    await installed();
    placeBinary();
    const d = fakeDownload({ status: 1, output: '' });
    expect(await ensureElectron({ root: dir, env: {}, capture: d.capture, print })).toBe(true);
    expect(d.calls).toEqual([]);
  });

  it('downloads it once when missing', async () => {
    await installed();
    const d = fakeDownload({ status: 0, output: '' }, placeBinary);
    expect(await ensureElectron({ root: dir, env: {}, capture: d.capture, print })).toBe(true);
    expect(d.calls).toEqual([[process.execPath, join(electronDir(), 'install.js')]]);
    expect(printed).toEqual(['Downloading the Electron binary for the desktop app…', expect.stringMatching(/^Electron downloaded in \d+\.\d s\.$/)]);
  });

  it('when the download fails, says in one line that browser mode is used, and does not try again until the next install', async () => {
    await installed();
    const d = fakeDownload({ status: 1, output: 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n' });
    expect(await ensureElectron({ root: dir, env: {}, capture: d.capture, print })).toBe(false);
    expect(printed).toEqual([
      'Downloading the Electron binary for the desktop app…',
      "Electron's binary could not be downloaded (TypeError: fetch failed): the desktop app is unavailable here, so the demo uses browser mode.",
    ]);
    printed = [];
    expect(await ensureElectron({ root: dir, env: {}, capture: d.capture, print })).toBe(false);
    expect(d.calls).toHaveLength(1);
    expect(printed).toEqual([]);
    // A new install forgets the failure.
    writeFileSync(join(dir, 'package-lock.json'), readFileSync(join(dir, 'package-lock.json'), 'utf8') + '\n');
    await installed();
    await ensureElectron({ root: dir, env: {}, capture: d.capture, print });
    expect(d.calls).toHaveLength(2);
  });

  it('with ELECTRON_SKIP_BINARY_DOWNLOAD does not try, and says so', async () => {
    await installed();
    const d = fakeDownload({ status: 0, output: '' });
    expect(await ensureElectron({ root: dir, env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, capture: d.capture, print })).toBe(false);
    expect(d.calls).toEqual([]);
    expect(printed).toEqual(["Electron's binary is not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): the desktop app is unavailable here, so the demo uses browser mode."]);
  });

  it('a Ctrl-C during the download stops the bootstrap without recording a failure', async () => {
    await installed();
    const d = fakeDownload({ status: 1, output: '', interrupted: true });
    await expect(ensureElectron({ root: dir, env: {}, capture: d.capture, print })).rejects.toThrow('Interrupted.');
    expect(JSON.parse(readFileSync(join(dir, INSTALL_MARKER), 'utf8')).electron).toBeUndefined();
  });
});

describe('the whole bootstrap', () => {
  const everything = { lookup: () => true, platform: { debian: true, root: true } };
  function recorder() {
    const runs: string[] = [];
    const run = async (command: string, args: string[]) => {
      runs.push([command === process.execPath ? 'node' : command, ...args].join(' '));
      if (args.includes('ci')) mkdirSync(join(dir, 'node_modules'), { recursive: true });
      return args.includes('scripts/test.ts') ? 3 : 0;
    };
    return { run, runs };
  }

  it('npm test: installs, then runs scripts/test.ts with the stages given, ending with its status', async () => {
    const r = recorder();
    expect(await bootstrap(['test', 'unit'], { root: dir, env: { npm_execpath: '/npm-cli.js' }, print, run: r.run, ...everything })).toBe(3);
    expect(r.runs).toEqual(['node /npm-cli.js ci --include=dev --no-audit --no-fund', 'node --import tsx scripts/test.ts unit']);
  });

  it('npm run demo: installs, tries Electron, then runs scripts/demo.ts with its options', async () => {
    const r = recorder();
    const d: string[] = [];
    const capture = async (_command: string, args: string[]) => (d.push(args[0]), { status: 1, output: 'no network' });
    await bootstrap(['demo', '--browser'], { root: dir, env: {}, print, run: r.run, capture, ...everything });
    expect(r.runs).toEqual(['npm ci --include=dev --no-audit --no-fund', 'node --import tsx scripts/demo.ts --browser']);
    expect(d).toEqual([join(dir, 'node_modules', 'electron', 'install.js')]);
    expect(printed).toContain("Electron's binary could not be downloaded (no network): the desktop app is unavailable here, so the demo uses browser mode.");
  });

  it('stops before installing or running any stage when the system lacks something', async () => {
    const r = recorder();
    await expect(bootstrap(['test'], { root: dir, env: {}, print, run: r.run, lookup: (p) => p !== 'openssl', platform: { debian: false, root: false } })).rejects.toThrow(/openssl/);
    expect(r.runs).toEqual([]);
  });

  it('refuses an unknown command', async () => {
    await expect(bootstrap(['tset'], { root: dir })).rejects.toThrow('usage: node scripts/bootstrap.mjs test|demo');
  });
});

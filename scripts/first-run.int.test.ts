// A newcomer's first run: a fresh clone of this repository's HEAD (no node_modules, no build), then `npm run demo`
// alone. It must install (the real npm ci), fail to download Electron's binary and say browser mode will be used, build,
// print the address and the demo accounts; Ctrl-C to the whole process group (as a terminal sends it) must stop every
// process and remove the demo's data directory. A second run skips the install and the download.
// Electron's download is pointed at a loopback mirror that answers 404, so the test never reaches the internet.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isListening } from './testing/is-listening';

const root = join(import.meta.dirname, '..');
const ADDRESS = /^ {2}(http:\/\/127\.0\.0\.1:(\d+)\/\S*)$/m;
const SERVER = /Demo MSN server on 127\.0\.0\.1:(\d+)/;

let work: string;
let clone: string;
let demoTmp: string;
let mirror: Server;
const mirrorRequests: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'butterfly-first-run-'));
  clone = join(work, 'butterfly');
  demoTmp = join(work, 'tmp');
  mkdirSync(demoTmp);
  execFileSync('git', ['clone', '--quiet', root, clone]);
  mirror = createServer((req, res) => (mirrorRequests.push(req.url ?? ''), res.writeHead(404).end()));
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => mirror?.close(resolve));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A newcomer's shell: nothing of vitest's or an outer npm's environment, the demo's temp files in demoTmp. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST|NODE_ENV$|INIT_CWD$|ELECTRON_)/i.test(k)));
  return {
    ...env,
    TMPDIR: demoTmp,
    ELECTRON_MIRROR: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`,
    electron_config_cache: join(work, 'electron-cache'),
  };
}

/** The processes of a group that are still running (zombies excepted), read from /proc. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === pgid && state !== 'Z') members.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}


const dataDirs = () => readdirSync(demoTmp).filter((n) => n.startsWith('butterfly-demo-'));

/**
 * `npm run demo [-- args]` in its own process group, as from a terminal: waits for the address, checks what it printed
 * (`expectOutput`) and that it runs, then presses Ctrl-C and checks that everything stopped. Whatever fails, no process
 * of the group outlives the test.
 */
async function demoUntilCtrlC(args: string[], timeoutMs: number, expectOutput: (output: string) => void): Promise<void> {
  const child = spawn('npm', ['run', 'demo', ...(args.length ? ['--', ...args] : [])], { cwd: clone, env: newcomerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const group = child.pid!;
  let text = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address after ${timeoutMs} ms:\n${text}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        if (ADDRESS.test(text) && text.includes('Press Ctrl-C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm run demo exited with ${code} before printing the address:\n${text}`));
      });
    });
    expectOutput(text);
    const ports = await checkRunning(text);
    await interrupt(group);
    expect(dataDirs()).toEqual([]);
    expect(await isListening(ports.bridgePort)).toBe(false);
    expect(await isListening(ports.serverPort)).toBe(false);
  } finally {
    if (groupMembers(group).length > 0) process.kill(-group, 'SIGKILL');
  }
}

/** Ctrl-C as a terminal sends it (to the whole group); resolves when no process of the group is left. */
async function interrupt(group: number, timeoutMs = 20_000): Promise<void> {
  process.kill(-group, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(group).length > 0) {
    if (Date.now() > deadline) throw new Error(`processes left running ${timeoutMs} ms after Ctrl-C: ${groupMembers(group).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function checkRunning(output: string): Promise<{ bridgePort: number; serverPort: number }> {
  const address = ADDRESS.exec(output)!;
  expect(output).toContain('alice@example.com      password alicepass');
  expect(output).toContain('bob@example.com        password bobpass');
  // The address serves the app the clone built.
  const page = await fetch(address[1]);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="root">');
  expect(dataDirs()).toHaveLength(1);
  const ports = { bridgePort: Number(address[2]), serverPort: Number(SERVER.exec(output)![1]) };
  expect(await isListening(ports.serverPort)).toBe(true);
  return ports;
}

describe('a fresh clone', () => {
  it('npm run demo alone installs, falls back to browser mode, prints the address; Ctrl-C stops it all and cleans up', { timeout: 8 * 60_000 }, async () => {
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    await demoUntilCtrlC([], 6 * 60_000, (out) => {
      expect(out).toContain('Installing dependencies with npm ci (node_modules is missing)…');
      expect(out).toMatch(/added \d+ packages/); // npm's own progress and summary
      expect(out).toMatch(/Dependencies installed in \d+\.\d s\./);
      expect(out).toMatch(/^Electron's binary could not be downloaded \(.*404.*\): the desktop app is unavailable here, so the demo uses browser mode\.$/m);
      expect(mirrorRequests.length).toBeGreaterThan(0);
      expect(out).toContain('Building Butterfly…');
    });
  });

  it('a second npm run demo skips the install and the download', { timeout: 2 * 60_000 }, async () => {
    const sentinel = join(clone, 'node_modules', '.kept-by-the-second-run');
    writeFileSync(sentinel, '');
    const requests = mirrorRequests.length;
    await demoUntilCtrlC(['--no-build'], 60_000, (out) => {
      expect(out).not.toContain('Installing dependencies');
      expect(out).not.toContain('Downloading the Electron binary');
      expect(out).toContain('The Electron binary is not installed here, so Butterfly runs in browser mode.');
      expect(mirrorRequests.length).toBe(requests);
      expect(existsSync(sentinel)).toBe(true);
    });
  });
});

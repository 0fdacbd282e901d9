// Real proxy servers from Debian for integration tests, on free loopback ports with generated configs, each a
// foreground process group that stop() ends:
//   const proxy = await startProxy('dante-socks5-auth');   // { host, port, username, password, stop() }
// Kinds: dante-socks (SOCKS4 + SOCKS5, no auth), dante-socks5-auth (RFC 1929, a throwaway system account),
// microsocks (SOCKS5; `auth: true` for -u/-P), ssh-socks (OpenSSH `ssh -D`: SOCKS4, 4a and 5), tinyproxy and squid
// (HTTP CONNECT and forward proxying; `auth: true` for Basic).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, chmodSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnGroup, waitForPort, type GroupProcess } from './process-group';
import { freePort } from './free-port';
import { danteConfig, squidConfig, sshdConfig, tinyproxyConfig } from './proxy-configs';

export type ProxyKind = 'dante-socks' | 'dante-socks5-auth' | 'microsocks' | 'ssh-socks' | 'tinyproxy' | 'squid';

export interface StartProxyOptions {
  /** Require a user name and password (microsocks, tinyproxy, squid; dante-socks5-auth always does). */
  auth?: boolean;
  /** Fixed credentials instead of generated ones (dante: the password of the throwaway system account). */
  username?: string;
  password?: string;
  /** How long to wait for the proxy to listen (squid takes seconds). */
  startTimeoutMs?: number;
}

export interface RunningProxy {
  kind: ProxyKind;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Ends the process group and removes the generated files. */
  stop(): Promise<void>;
  /** SIGKILL to the process group: the proxy vanishes mid-stream. Call stop() afterwards to clean up. */
  kill(): Promise<void>;
  /** SIGSTOP to the process group, resolved once all of it has stopped: the proxy stalls (kill() or stop() still end it). */
  freeze(): Promise<void>;
  /** Output so far, for failure messages. */
  output(): string;
  /** The process group ids this proxy runs in (one per process started). */
  groups(): number[];
}

const HOST = '127.0.0.1';
/** The system account dante checks SOCKS5 passwords against (no home, no login shell). */
export const DANTE_TEST_USER = 'bfproxytest';
/**
 * Its password is fixed: every dante instance (in this file, another test file, another engineer's run) checks the
 * same system account, so a per-instance password would break instances already running.
 */
export const DANTE_TEST_PASSWORD = 'bf-dante-Test-pass-1';

export async function startProxy(kind: ProxyKind, options: StartProxyOptions = {}): Promise<RunningProxy> {
  // A port can be taken between our probe and the proxy's bind: one retry with a fresh port.
  try {
    return await startOnce(kind, options);
  } catch (error) {
    if (!/did not listen|exited/.test(String(error))) throw error;
    return startOnce(kind, options);
  }
}

async function startOnce(kind: ProxyKind, options: StartProxyOptions): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), `bf-${kind}-`));
  chmodSync(dir, 0o755);
  const port = await freePort(HOST);
  const wantsAuth = kind === 'dante-socks5-auth' || Boolean(options.auth);
  const username = wantsAuth ? (options.username ?? (kind === 'dante-socks5-auth' ? DANTE_TEST_USER : `u${randomBytes(3).toString('hex')}`)) : undefined;
  const password = wantsAuth ? (options.password ?? (kind === 'dante-socks5-auth' ? DANTE_TEST_PASSWORD : `p${randomBytes(6).toString('hex')}`)) : undefined;
  const procs: GroupProcess[] = [];
  const timeout = options.startTimeoutMs ?? (kind === 'squid' ? 30_000 : 10_000);
  const cleanup = async () => {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    switch (kind) {
      case 'dante-socks':
      case 'dante-socks5-auth': {
        if (wantsAuth) ensureSystemUser(username!, password!);
        const conf = join(dir, 'danted.conf');
        writeFileSync(conf, danteConfig({ port, auth: wantsAuth }));
        procs.push(spawnGroup('danted', ['-f', conf, '-p', join(dir, 'danted.pid'), '-N', '1']));
        break;
      }
      case 'microsocks':
        procs.push(spawnGroup('microsocks', ['-i', HOST, '-p', String(port), ...(wantsAuth ? ['-u', username!, '-P', password!] : [])]));
        break;
      case 'tinyproxy': {
        const conf = join(dir, 'tinyproxy.conf');
        writeFileSync(conf, tinyproxyConfig({ port, dir, auth: wantsAuth ? { username: username!, password: password! } : undefined }));
        chmodSync(dir, 0o777);
        procs.push(spawnGroup('tinyproxy', ['-d', '-c', conf]));
        break;
      }
      case 'squid': {
        let passwdFile: string | undefined;
        if (wantsAuth) {
          passwdFile = join(dir, 'passwd');
          const hash = execFileSync('openssl', ['passwd', '-apr1', password!], { encoding: 'utf8' }).trim();
          writeFileSync(passwdFile, `${username}:${hash}\n`, { mode: 0o644 });
        }
        const conf = join(dir, 'squid.conf');
        writeFileSync(conf, squidConfig({ port, dir, passwdFile }));
        // squid drops to the `proxy` user and must write its log and pid there.
        chmodSync(dir, 0o777);
        procs.push(spawnGroup('squid', ['-N', '-f', conf]));
        break;
      }
      case 'ssh-socks': {
        mkdirSync('/run/sshd', { recursive: true });
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
        writeFileSync(join(dir, 'authorized_keys'), execFileSync('cat', [join(dir, 'client_key.pub')]));
        const sshPort = await freePort(HOST);
        const conf = join(dir, 'sshd_config');
        writeFileSync(conf, sshdConfig({ port: sshPort, dir }));
        const sshd = spawnGroup('/usr/sbin/sshd', ['-D', '-e', '-f', conf]);
        procs.push(sshd);
        await waitForPort(HOST, sshPort, sshd, timeout, 'sshd');
        const client = spawnGroup('ssh', [
          '-N', '-D', `${HOST}:${port}`, '-p', String(sshPort), '-i', join(dir, 'client_key'),
          '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`, '-o', 'BatchMode=yes',
          '-o', 'ExitOnForwardFailure=yes', '-o', 'LogLevel=ERROR', `${userInfo().username}@${HOST}`,
        ]);
        procs.push(client);
        break;
      }
    }
    const main = procs[procs.length - 1];
    await waitForPort(HOST, port, main, timeout, kind);
  } catch (error) {
    await cleanup();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    kind,
    host: HOST,
    port,
    username,
    password,
    stop: () => (stopped ??= cleanup()),
    kill: async () => {
      for (const p of procs) await p.kill();
    },
    freeze: async () => {
      for (const p of procs) await p.freeze();
    },
    output: () => procs.map((p) => p.output()).join('\n'),
    groups: () => procs.map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined),
  };
}

/** dante checks SOCKS5 passwords against system accounts: a throwaway account without home or shell. */
function ensureSystemUser(name: string, password: string): void {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', name], { stdio: 'ignore' });
    } catch (error) {
      // Another test file may have created it at the same moment.
      try {
        execFileSync('id', [name], { stdio: 'ignore' });
      } catch {
        throw new Error(`could not create the system account ${name} for dante (needs root): ${String(error)}`);
      }
    }
  }
  // Only when it differs: chpasswd takes the shadow lock, which concurrent starts would fight over.
  if (!passwordMatches(name, password)) execFileSync('chpasswd', ['-c', 'SHA512'], { input: `${name}:${password}\n` });
}

function passwordMatches(name: string, password: string): boolean {
  try {
    const line = readFileSync('/etc/shadow', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
    const hash = line?.split(':')[1] ?? '';
    const m = /^\$(\d|y|[a-z0-9]+)\$(?:rounds=\d+\$)?([^$]+)\$/.exec(hash);
    if (!m || m[1] !== '6') return false;
    return execFileSync('openssl', ['passwd', '-6', '-salt', m[2], password], { encoding: 'utf8' }).trim() === hash;
  } catch {
    return false;
  }
}

/** Whether a kind's binary is installed (for tools that want to say so clearly; .ci/run installs them all). */
export function proxyInstalled(kind: ProxyKind): boolean {
  const bin = { 'dante-socks': '/usr/sbin/danted', 'dante-socks5-auth': '/usr/sbin/danted', microsocks: '/usr/bin/microsocks', 'ssh-socks': '/usr/sbin/sshd', tinyproxy: '/usr/bin/tinyproxy', squid: '/usr/sbin/squid' }[kind];
  return existsSync(bin);
}

export { freePort, closedPort } from './free-port';
export { pollUntil } from './process-group';

// The harness itself: every kind starts on a free loopback port and stop() leaves no live process of its groups
// behind (danted and squid fork workers; ssh-socks is two groups: sshd and ssh).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { pollUntil, startProxy, type ProxyKind } from './index';

/** Live (non-zombie) processes in process group `pgid`, from /proc. */
function liveMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return out;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('startProxy', () => {
  it.each(['dante-socks', 'dante-socks5-auth', 'microsocks', 'ssh-socks', 'tinyproxy'] as ProxyKind[])('%s listens on 127.0.0.1 and stop() ends its whole process group', async (kind) => {
    const proxy = await startProxy(kind, { auth: kind === 'microsocks' || kind === 'tinyproxy' });
    const groups = proxy.groups();
    expect(proxy.host).toBe('127.0.0.1');
    expect(await accepts(proxy.port)).toBe(true);
    expect(groups.flatMap(liveMembers).length).toBeGreaterThanOrEqual(groups.length);
    if (kind === 'dante-socks5-auth' || kind === 'tinyproxy') expect(proxy.username && proxy.password).toBeTruthy();
    await proxy.stop();
    expect(await pollUntil(() => groups.flatMap(liveMembers), (left) => left.length === 0, 5_000, 25)).toEqual([]);
    expect(await accepts(proxy.port)).toBe(false);
  });
});

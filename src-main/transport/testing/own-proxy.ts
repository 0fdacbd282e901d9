// Test helper for the tests that kill a proxy mid-stream: they cannot share the file's proxy, so each starts one of
// its own, connects through it, proves bytes flow (VER/CVR), and must stop it afterwards even when an assertion fails.
import { readFileSync } from 'node:fs';
import { pollUntil, startProxy, type ProxyKind, type RunningProxy } from '../../../e2e/proxies/index';
import type { Transport } from '../transport';
import { record, verCvrExchange, type Recorder } from './msnp-exchange';

export interface OwnProxyConnection {
  proxy: RunningProxy;
  transport: Transport;
  rec: Recorder;
}

/** Starts a `kind` proxy, connects through it with `connect` and runs VER/CVR, runs `body`, then stops the proxy. */
export async function withOwnProxy(
  kind: ProxyKind,
  connect: (proxy: RunningProxy) => Promise<Transport>,
  body: (c: OwnProxyConnection) => Promise<void>,
): Promise<void> {
  const proxy = await startProxy(kind);
  try {
    const transport = await connect(proxy);
    const rec = record(transport);
    await verCvrExchange(transport, rec);
    await body({ proxy, transport, rec });
  } finally {
    await proxy.stop();
  }
}

/**
 * Stops the proxy with bytes of ours sent, then kills it: a process that dies with unread bytes in its socket makes
 * the kernel answer with a reset, not a FIN. Both waits are on what the kernel shows, not on time, so a busy machine
 * cannot make it kill too early: freeze() until every proxy thread is stopped, then until our bytes are waiting in
 * the proxy's end of the connection (Linux's /proc/net/tcp).
 */
export async function killWithBytesUnread(proxy: RunningProxy, transport: Transport, waitMs = 5000): Promise<void> {
  await proxy.freeze();
  const line = new TextEncoder().encode('PNG\r\n');
  transport.write(line);
  const holds = (queues: number[]) => queues.some((n) => n >= line.length);
  const seen = await pollUntil(() => unreadAt(proxy.port), holds, waitMs, 5);
  if (!holds(seen)) {
    throw new Error(`the frozen proxy's end of the connection never held our ${line.length} bytes unread (queues: ${JSON.stringify(seen)})`);
  }
  await proxy.kill();
}

/** Bytes waiting to be read on each established loopback connection whose local port is `port`. */
function unreadAt(port: number): number[] {
  const rows = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  const queues: number[] = [];
  for (const row of rows) {
    const f = row.trim().split(/\s+/);
    if (f.length < 5 || f[3] !== '01') continue; // 01: ESTABLISHED
    if (parseInt(f[1].split(':')[1], 16) !== port) continue;
    queues.push(parseInt(f[4].split(':')[1], 16));
  }
  return queues;
}

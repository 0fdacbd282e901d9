// Test helper for the tests that kill a proxy mid-stream: they cannot share the file's proxy, so each starts one of
// its own, connects through it, proves bytes flow (VER/CVR), and must stop it afterwards even when an assertion fails.
import { startProxy, type ProxyKind, type RunningProxy } from '../../../e2e/proxies/index';
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
 * the kernel answer with a reset, not a FIN. The short pause lets the bytes reach the proxy's socket; nothing on our
 * side can observe that moment.
 */
export async function killWithBytesUnread(proxy: RunningProxy, transport: Transport): Promise<void> {
  proxy.freeze();
  transport.write(new TextEncoder().encode('PNG\r\n'));
  await new Promise((r) => setTimeout(r, 50));
  await proxy.kill();
}

// Test helper for the files that run against one real proxy: the MSN test server and the proxy start together before
// the file's tests (squid takes seconds, so once per file) and both stop after them, even when one failed to start.
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../../../e2e/msn-server/index';
import { startProxy, type ProxyKind, type RunningProxy, type StartProxyOptions } from '../../../e2e/proxies/index';
import type { ProxySettings } from '../../../src-shared/connection-settings';

export interface ServerAndProxy {
  /** Throws outside the file's tests (before beforeAll has run). */
  readonly server: TestServer;
  readonly proxy: RunningProxy;
}

export function serverAndProxyPerFile(kind: ProxyKind, options: StartProxyOptions = {}): ServerAndProxy {
  let server: TestServer | undefined;
  let proxy: RunningProxy | undefined;
  beforeAll(async () => {
    [server, proxy] = await Promise.all([startTestServer(), startProxy(kind, options)]);
  });
  afterAll(async () => {
    await Promise.all([proxy?.stop(), server?.stop()]);
  });
  return {
    get server() {
      if (!server) throw new Error('the test server is not running (used outside a test?)');
      return server;
    },
    get proxy() {
      if (!proxy) throw new Error(`${kind} is not running (used outside a test?)`);
      return proxy;
    },
  };
}

/** The connection settings' proxy section pointing at `p` with its credentials, with `over` replacing fields. */
export const proxySettingsOf = (p: RunningProxy, over: Partial<ProxySettings> = {}): ProxySettings => ({
  host: p.host,
  port: p.port,
  username: p.username,
  password: p.password,
  ...over,
});

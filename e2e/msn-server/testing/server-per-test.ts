// Test helper: a test server per test. Installs the afterEach that every server test file needs: on failure print
// the transcripts (the only record of what went over the wire), close the tracked clients, stop the server, and fail
// the test if the server caught an error of its own while handling it — a test that passes while the server threw
// inside would hide a server bug.
import { afterEach, expect } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../index';

export interface ServerPerTest {
  /**
   * Starts a server for this test; the afterEach stops it. A test that needs other options halfway may stop its
   * server and start another: every server started in the test is checked and stopped.
   */
  start(options?: TestServerOptions): Promise<TestServer>;
  /** Closes `client` after the test, passed or failed; returns it for `const c = track(await …)`. */
  track<C extends { close(): void }>(client: C): C;
}

export function serverPerTest(): ServerPerTest {
  const servers: TestServer[] = [];
  const clients: { close(): void }[] = [];
  afterEach(async (ctx) => {
    const started = servers.splice(0);
    if (ctx.task.result?.state === 'fail') for (const s of started) console.log(s.formatTranscripts());
    for (const c of clients.splice(0)) c.close();
    const internalErrors = started.flatMap((s) => s.state.internalErrors());
    await Promise.all(started.map((s) => s.stop()));
    expect(internalErrors).toEqual([]);
  });
  return {
    async start(options = {}) {
      const server = await startTestServer(options);
      servers.push(server);
      return server;
    },
    track(client) {
      clients.push(client);
      return client;
    },
  };
}

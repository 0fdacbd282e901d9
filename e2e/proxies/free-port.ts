// A free loopback port for programs that cannot listen on port 0 and report back. Another process could take it
// between close and the proxy's bind; startProxy retries once with a new port when that happens.
import { createServer } from 'node:net';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A port where nothing listens, for "proxy not listening" tests: one the kernel just handed out and we released.
 * Ephemeral ports are handed out in sequence, so it stays unused for the few milliseconds a test needs.
 */
export function closedPort(host = '127.0.0.1'): Promise<number> {
  return freePort(host);
}

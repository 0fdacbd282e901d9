// A loopback TCP server that answers the first bytes of each connection with one fixed reply and hangs up: something
// that is not an MSN server, listening where one is expected.
import { createServer } from 'node:net';

export interface OneReplyServer {
  port: number;
  stop(): Promise<void>;
}

export async function startOneReplyServer(reply: string): Promise<OneReplyServer> {
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.end(reply));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

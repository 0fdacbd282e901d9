// The outside end of isolated-network.ts: a Unix socket that forwards every connection to a TCP address (the real
// proxy) and counts them.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface UnixRelay {
  path: string;
  connections(): number;
  close(): Promise<void>;
}

export async function startUnixRelay(target: { host: string; port: number }): Promise<UnixRelay> {
  const dir = mkdtempSync(join(tmpdir(), 'bf-relay-'));
  const path = join(dir, 'relay.sock');
  const open = new Set<Socket>();
  let count = 0;
  const server = createServer((inside) => {
    count++;
    const outside = connect(target.port, target.host);
    inside.pipe(outside).pipe(inside);
    const end = () => {
      inside.destroy();
      outside.destroy();
      open.delete(inside);
    };
    open.add(inside);
    for (const s of [inside, outside]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
  return {
    path,
    connections: () => count,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

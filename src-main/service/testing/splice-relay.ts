// A TCP relay between the client and the test server that slips extra lines into the server's byte stream right
// before the Nth line starting with a given prefix. The test server writes a whole SYN reply as one unit, so anything
// it sends on its own (sendRaw, presence) lands after the list; this is how a test gets an unsolicited NLN into the
// middle of a list download, as a real server may send one. Bytes are otherwise passed through untouched, in
// whatever pieces they arrive (1-byte chunks stay 1-byte chunks).
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SpliceRule {
  /** A line start, e.g. 'LST '. */
  prefix: string;
  /** Insert before the Nth such line (1-based) of each connection. */
  nth: number;
  /** Whole lines with CRLF. */
  insert: string;
}

export interface SpliceRelay {
  host: string;
  port: number;
  /** Lines inserted so far, over all connections. */
  readonly inserted: number;
  stop(): Promise<void>;
}

export async function startSpliceRelay(target: { host: string; port: number }, rules: SpliceRule[]): Promise<SpliceRelay> {
  const sockets = new Set<Socket>();
  let inserted = 0;
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (b) => upstream.write(b));
    const splice = createSplicer(rules, () => inserted++);
    upstream.on('data', (b) => {
      const out = splice(b);
      if (out.length > 0) client.write(out);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get inserted() {
      return inserted;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Byte by byte: holds back a line start while it may still match a prefix, so splits anywhere are handled. */
function createSplicer(rules: SpliceRule[], onInsert: () => void): (chunk: Buffer) => Buffer {
  const counts = rules.map(() => 0);
  const prefixes = rules.map((r) => Buffer.from(r.prefix, 'latin1'));
  let atLineStart = true;
  let held: number[] = [];
  return (chunk) => {
    const out: number[] = [];
    for (const b of chunk) {
      if (atLineStart || held.length > 0) {
        held.push(b);
        const candidates = prefixes.filter((p) => held.length <= p.length && held.every((x, i) => p[i] === x));
        const full = prefixes.findIndex((p) => p.length === held.length && held.every((x, i) => p[i] === x));
        if (full >= 0) {
          for (let i = 0; i < rules.length; i++) {
            if (prefixes[i].equals(Buffer.from(held)) && ++counts[i] === rules[i].nth) {
              out.push(...Buffer.from(rules[i].insert, 'utf8'));
              onInsert();
            }
          }
          out.push(...held);
          held = [];
        } else if (candidates.length === 0) {
          out.push(...held);
          held = [];
        }
      } else out.push(b);
      atLineStart = b === 0x0a;
    }
    return Buffer.from(out);
  };
}

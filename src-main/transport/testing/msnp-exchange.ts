// Test helper: drives the first two MSNP8 round trips (VER, CVR) over any Transport and records every byte each
// way, so integration tests can compare them byte for byte with what the test server saw.
import type { Transport, TransportCloseInfo } from '../transport';
import { expect } from 'vitest';
import type { ConnectionTranscript, TestServer } from '../../../e2e/msn-server/index';

export const VER_LINE = 'VER 1 MSNP8 CVR0\r\n';
export const CVR_LINE = 'CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0208 MSMSGS alice@example.com\r\n';

export interface Recorder {
  received(): string;
  tapped(direction: 'in' | 'out'): string;
  /** Resolves when the received text contains `needle` (rejects after `timeoutMs` or on close). */
  waitFor(needle: string | RegExp, timeoutMs?: number): Promise<string>;
  closed: Promise<TransportCloseInfo>;
}

export function record(transport: Transport): Recorder {
  let text = '';
  const taps = { in: '', out: '' };
  const decoder = new TextDecoder();
  const waiters = new Set<() => void>();
  let closeInfo: TransportCloseInfo | undefined;
  transport.onData((bytes) => {
    text += decoder.decode(bytes, { stream: true });
    for (const w of [...waiters]) w();
  });
  transport.onTap((t) => (taps[t.direction] += Buffer.from(t.bytes).toString('latin1')));
  const closed = new Promise<TransportCloseInfo>((resolve) =>
    transport.onDidClose((info) => {
      closeInfo = info;
      resolve(info);
      for (const w of [...waiters]) w();
    }),
  );
  return {
    received: () => text,
    tapped: (d) => taps[d],
    closed,
    waitFor(needle, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (typeof needle === 'string' ? text.includes(needle) : needle.test(text)) {
            done();
            resolve(text);
          } else if (closeInfo) {
            done();
            reject(new Error(`closed before ${String(needle)} arrived (got ${JSON.stringify(text)}; ${closeInfo.error?.message ?? 'clean close'})`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${String(needle)} (got ${JSON.stringify(text)})`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** VER then CVR; returns what the client received. */
export async function verCvrExchange(transport: Transport, rec = record(transport), timeoutMs = 5000): Promise<string> {
  transport.write(new TextEncoder().encode(VER_LINE));
  await rec.waitFor('VER 1 MSNP8\r\n', timeoutMs);
  transport.write(new TextEncoder().encode(CVR_LINE));
  return rec.waitFor(/\r\nCVR 2 [^\r\n]*\r\n$/, timeoutMs);
}

/** The bytes one side sent on a server-side connection, concatenated, as latin1 text for exact comparison. */
export function serverSide(t: ConnectionTranscript, dir: 'C' | 'S'): string {
  return Buffer.concat(t.entries.filter((e) => e.dir === dir).map((e) => e.bytes)).toString('latin1');
}

/**
 * VER/CVR over `transport`, then a local close; expects the server-side connection `find` picks (by default the
 * newest) to have received exactly VER+CVR and to have sent exactly what the client received. Returns the recorder
 * and what was received, for the caller's own checks.
 */
export async function expectVerCvrCarried(
  transport: Transport,
  server: TestServer,
  find: (transcripts: ConnectionTranscript[]) => ConnectionTranscript | undefined = (ts) => ts.at(-1),
): Promise<{ rec: Recorder; received: string }> {
  const rec = record(transport);
  const received = await verCvrExchange(transport, rec);
  transport.close();
  await rec.closed;
  const t = find(server.transcripts());
  expect(t, 'no server-side connection for this transport').toBeDefined();
  expect(serverSide(t!, 'C')).toBe(VER_LINE + CVR_LINE);
  expect(serverSide(t!, 'S')).toBe(received);
  return { rec, received };
}

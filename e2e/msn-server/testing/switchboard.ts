// Switchboard steps for the server's own tests: XFR SB + USR for the caller, RNG + ANS for the invited.
import type { TestServer } from '../index';
import { RawClient } from './raw-client';

export async function openSwitchboard(server: TestServer, ns: RawClient, email: string, trid: number): Promise<RawClient> {
  ns.send(`XFR ${trid} SB`);
  const x = await ns.waitFor(`XFR ${trid} SB`);
  const [host, port] = x.fields[3].split(':');
  const sb = await RawClient.connect(Number(port), host);
  sb.send(`USR 1 ${email} ${x.fields[5]}`);
  await sb.waitFor('USR 1 OK');
  return sb;
}

/** Waits for a RNG on the NS connection and answers it; the cursor is left after `ANS 1 OK`. */
export async function answerRing(ns: RawClient, email: string): Promise<{ sb: RawClient; joinLines: string[]; rngLine: string }> {
  const rng = await ns.waitFor('RNG');
  const [sessionId, address, , cookie] = rng.fields.slice(1);
  const [host, port] = address.split(':');
  const sb = await RawClient.connect(Number(port), host);
  sb.send(`ANS 1 ${email} ${cookie} ${sessionId}`);
  const joinLines: string[] = [];
  for (;;) {
    const f = await sb.next();
    joinLines.push(f.line);
    if (f.line === 'ANS 1 OK') break;
  }
  return { sb, joinLines, rngLine: rng.line };
}

// Sign-in steps for the server's own tests, spelled out with raw commands and plain fetch.
import { createHash } from 'node:crypto';
import type { TestServer } from '../index';
import { RawClient } from './raw-client';

export async function passportTicket(server: TestServer, email: string, password: string): Promise<{ status: number; ticket?: string; headers: Headers }> {
  const nexus = await fetch(server.nexusUrl);
  const urls = nexus.headers.get('PassportURLs') ?? '';
  const login = /DALogin=([^,]+)/.exec(urls)?.[1];
  if (!login) throw new Error(`no DALogin in ${urls}`);
  const auth = `Passport1.4 OrgVerb=GET,OrgURL=http%3A%2F%2Fmessenger%2Emsn%2Ecom,sign-in=${encodeURIComponent(email)},pwd=${encodeURIComponent(password)},ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1`;
  const res = await fetch(login, { headers: { Authorization: auth } });
  const info = res.headers.get('Authentication-Info') ?? '';
  return { status: res.status, ticket: /from-PP='([^']*)'/.exec(info)?.[1], headers: res.headers };
}

/** VER/CVR/USR TWN through to `USR OK` (MSNP8 unless `version`); returns the client with the cursor after USR OK. */
export async function signInTwn(server: TestServer, email: string, password: string, version = 8): Promise<RawClient> {
  const c = await RawClient.connect(server.ns.port);
  c.send(`VER 1 MSNP${version} CVR0`);
  await c.waitFor('VER 1 ');
  c.send(`CVR 2 0x0409 winnt 5.1 i386 MSNMSGR 6.2.0208 MSMSGS ${email}`);
  await c.waitFor('CVR 2 ');
  c.send(`USR 3 TWN I ${email}`);
  const s = await c.waitFor('USR 3 ');
  const { ticket } = await passportTicket(server, email, password);
  if (!ticket) throw new Error(`no ticket; got ${s.line}`);
  c.send(`USR 4 TWN S ${ticket}`);
  await c.waitFor('USR 4 OK');
  return c;
}

export const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

export async function signInMd5(server: TestServer, email: string, password: string, version = 7): Promise<RawClient> {
  const c = await RawClient.connect(server.ns.port);
  c.send(`VER 1 MSNP${version} CVR0`);
  await c.waitFor('VER 1 ');
  c.send(`USR 3 MD5 I ${email}`);
  const s = await c.waitFor('USR 3 MD5 S');
  c.send(`USR 4 MD5 S ${md5(s.fields[4] + password)}`);
  await c.waitFor('USR 4 OK');
  return c;
}

/**
 * Alice's answer to `SYN 5 0` on MSNP8 with defaultTestAccounts(): list version 1, no TrIDs, the group list on the
 * LST (capture 04's shape). Tests that change her account or bob's append or compare against their own lines.
 */
export const ALICE_SYNC_REPLY: readonly string[] = [
  'SYN 5 1 1 2',
  'GTC A',
  'BLP AL',
  'LSG 0 Other%20Contacts 0',
  'LSG 1 Friends 0',
  'LST bob@example.com Bob 11 1',
];

/** SYN + first CHG, returning the frames of the SYN answer. */
export async function syncAndGoOnline(c: RawClient, trid = 5, clientId = '0'): Promise<void> {
  c.send(`SYN ${trid} 0`);
  await c.waitFor(`SYN ${trid} `);
  c.send(`CHG ${trid + 1} NLN ${clientId}`);
  await c.waitFor(`CHG ${trid + 1} `);
}

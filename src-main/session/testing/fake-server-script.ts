// Scripts for ScriptedTransport: a well-behaved MSNP8 notification server, an MSNP10–12 one (capture 15) and
// Passport, small enough to read in a test, with hooks to make any step misbehave.
import type { HttpClient, HttpRequest, HttpResponse } from '../../transport/transport';
import type { ScriptedTransport } from './scripted-transport';

export interface Msnp8Script {
  email?: string;
  nickname?: string;
  /** Lines after `SYN trid ver lst lsg` (the download); default: one group, bob online-capable. */
  list?: string[];
  listVersion?: number;
  /** Extra lines sent right after the CHG reply (ILNs). */
  afterChg?: string[];
  /** Return a string/array to answer a line yourself, undefined to fall through to the default script. */
  override?: (line: string, fields: string[]) => string | string[] | undefined;
}

export const defaultList = ['GTC A', 'BLP AL', 'LSG 0 Other%20Contacts 0', 'LSG 1 Friends 0', 'LST bob@example.com Bob 11 0,1', 'BPR PHH 555%20999', 'LST carol@example.com Carol 10 0'];

export function msnp8(t: ScriptedTransport, s: Msnp8Script = {}): ScriptedTransport {
  const email = s.email ?? 'alice@example.com';
  const list = s.list ?? defaultList;
  const lst = list.filter((l) => l.startsWith('LST ')).length;
  const lsg = list.filter((l) => l.startsWith('LSG ')).length;
  return t.respond((line, f) => {
    const custom = s.override?.(line, f);
    if (custom !== undefined) return custom;
    switch (f[0]) {
      case 'VER':
        return 'VER {trid} MSNP8';
      case 'CVR':
        return 'CVR {trid} 6.0.0602 6.0.0602 1.0.0000 http://x http://y';
      case 'USR':
        if (f[3] === 'I') return 'USR {trid} TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1';
        return `USR {trid} OK ${email} ${s.nickname ?? 'Alice'} 1 0`;
      case 'SYN':
        return [`SYN {trid} ${s.listVersion ?? 7} ${lst} ${lsg}`, ...list];
      case 'CHG':
        return [`CHG {trid} ${f[2]} ${f[3] ?? ''}`.trimEnd(), ...(s.afterChg ?? []).map((l) => l.replaceAll('{chg}', f[1]))];
      default:
        return undefined;
    }
  });
}

export interface Msnp12Script {
  /** The version VER answers (10, 11 or 12). */
  version?: number;
  email?: string;
  /** Lines after the SYN reply; default capture 15's (GTC, BLP, PRP MFN, one LST with the trailing space). */
  list?: string[];
  afterChg?: string[];
  override?: (line: string, fields: string[]) => string | string[] | undefined;
}

/** Capture 15's list: alice on bob's FL/AL/RL, in no group, with Escargot's trailing space. */
export const capture15List = [
  'GTC A',
  'BLP AL',
  'PRP MFN bob@example.com',
  'LST N=alice@example.com F=Alice%20✿%20Ünïcødé%20100% C=9dc77cf1-127e-40a9-a36d-2a1526b38a8f 11 1 ',
];

/** An MSNP10–12 server as capture 15 shows Escargot: `USR OK email 1 0`, a two-timestamp SYN, `UUX trid 0`. */
export function msnp12(t: ScriptedTransport, s: Msnp12Script = {}): ScriptedTransport {
  const email = s.email ?? 'bob@example.com';
  const list = s.list ?? capture15List;
  const lst = list.filter((l) => l.startsWith('LST ')).length;
  const lsg = list.filter((l) => l.startsWith('LSG ')).length;
  const stamp = '2000-01-01T00:00:00.0-00:00';
  return t.respond((line, f) => {
    const custom = s.override?.(line, f);
    if (custom !== undefined) return custom;
    switch (f[0]) {
      case 'VER':
        return `VER {trid} MSNP${s.version ?? 12}`;
      case 'CVR':
        return 'CVR {trid} 7.5.0324 7.5.0324 7.5.0324 https://escargot.log1p.xyz https://escargot.log1p.xyz';
      case 'USR':
        if (f[3] === 'I') return 'USR {trid} TWN S ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1';
        return `USR {trid} OK ${email} 1 0`;
      case 'SYN':
        return [`SYN {trid} ${stamp} ${stamp} ${lst} ${lsg}`, ...list];
      case 'CHG':
        return [`CHG {trid} ${f[2]} ${f[3] ?? ''}`.trimEnd(), ...(s.afterChg ?? []).map((l) => l.replaceAll('{chg}', f[1]))];
      case 'UUX':
        return 'UUX {trid} 0';
      default:
        return undefined;
    }
  });
}

export interface FakePassport extends HttpClient {
  requests: HttpRequest[];
}

/** Nexus + login: answers 200 with a ticket for `password`, 401 otherwise. */
export function fakePassport(password: string, ticket = 't=TICKET&p=PROF'): FakePassport {
  const requests: HttpRequest[] = [];
  const res = (status: number, headers: Record<string, string>): HttpResponse => ({ status, headers, body: new Uint8Array() });
  return {
    requests,
    async request(r) {
      requests.push(r);
      if (r.url.endsWith('/rdr/pprdr.asp')) return res(200, { passporturls: 'DARealm=Passport.Net,DALogin=passport.test/login2.srf,DAReg=x' });
      const auth = r.headers['Authorization'] ?? r.headers['authorization'] ?? '';
      if (auth.includes(`pwd=${encodeURIComponent(password)},`)) return res(200, { 'authentication-info': `Passport1.4 da-status=success,from-PP='${ticket}',ru=x` });
      return res(401, { 'www-authenticate': 'Passport1.4 da-status=failed' });
    },
  };
}

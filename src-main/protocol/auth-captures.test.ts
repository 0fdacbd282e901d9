// The auth helpers against the real server's captures: the MD5 answer of capture 01, and for every Passport capture
// the exact Authorization header, the DALogin URL, and the ticket — the very ticket the paired NS capture then sends.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { md5Response } from './md5';
import { buildPassportLoginHeader, parseAuthenticationInfo, parsePassportUrls, parseTwnChallenge, parseWwwAuthenticate } from './passport';
import { parseCommand } from './command';

const read = (file: string) => readFileSync(join(import.meta.dirname, 'testing', 'captures', file), 'utf8');
/** The value of the first row `<dir>: <name>: value\r\n` in a transcript. */
function header(text: string, dir: 'C' | 'S', name: string): string | undefined {
  const row = text.split('\n').find((l) => l.startsWith(`${dir}: ${name}: `));
  return row?.slice(`${dir}: ${name}: `.length).replace(/\\r\\n$/, '');
}
/** The first `USR` line with the given fields in a transcript (either row kind: the gateway file uses payload rows). */
function usrLine(text: string, dir: 'C' | 'S', pattern: RegExp): string {
  const row = text.split('\n').find((l) => (l.startsWith(`${dir}: `) || l.startsWith(`${dir}. `)) && pattern.test(l.slice(3)));
  if (!row) throw new Error(`no ${pattern} row`);
  return row.slice(3).replace(/\\r\\n$/, '');
}

describe('auth against the captures', () => {
  it('MD5 sign-in (01): md5(salt + password) is what the server accepted', () => {
    const text = read('01-alice-msnp7-md5-login.txt');
    const challenge = parseCommand({ line: usrLine(text, 'S', /^USR \d+ MD5 S /) }, { listLinesCarryTrid: true });
    const answer = parseCommand({ line: usrLine(text, 'C', /^USR \d+ MD5 S /) }, { listLinesCarryTrid: true });
    expect(md5Response(challenge.args[2], 'alicepass')).toBe(answer.args[2]);
    expect(md5Response('c1ef3a349a23902', 'alicepass')).toBe('9e584b710454fb6148fe0cbf92127f70');
  });

  it.each([
    ['05-alice-passport.txt', '04-alice-ns-msnp8.txt', 'alice@example.com', 'alicepass'],
    ['08-bob-passport.txt', '06-bob-ns-msnp8.txt', 'bob@example.com', 'bobpass'],
    ['12-alice-passport-second.txt', '11-alice-ns-msnp8-second-login.txt', 'alice@example.com', 'alicepass'],
    ['14-alice-gateway-passport.txt', '13-alice-http-gateway.txt', 'alice@example.com', 'alicepass'],
    ['16-bob-passport-msnp12.txt', '15-bob-ns-msnp12.txt', 'bob@example.com', 'bobpass'],
  ])('%s with %s: header, login URL and ticket', (passportFile, nsFile, email, password) => {
    const passport = read(passportFile);
    const ns = read(nsFile);
    const challenge = parseTwnChallenge(parseCommand({ line: usrLine(ns, 'S', /^USR \d+ TWN S /) }).args);
    expect(challenge).toBeDefined();
    expect(header(passport, 'C', 'Authorization')).toBe(buildPassportLoginHeader(email, password, challenge!));
    expect(parsePassportUrls(header(passport, 'S', 'PassportURLs')!)).toBe('https://localhost/login');
    const ticket = parseAuthenticationInfo(header(passport, 'S', 'Authentication-Info')!);
    expect(ticket).toMatch(/^[0-9a-f]{20}$/);
    expect(parseCommand({ line: usrLine(ns, 'C', /^USR \d+ TWN S /) }).args).toEqual(['TWN', 'S', ticket]);
  });

  it('07: a wrong password is a failed WWW-Authenticate and no ticket', () => {
    const text = read('07-bob-passport-wrong-password.txt');
    expect(header(text, 'C', 'Authorization')).toBe(buildPassportLoginHeader('bob@example.com', 'not-bobpass', 'ct=1,rver=1,wp=FS_40SEC_0_COMPACT,lc=1,id=1'));
    expect(parseWwwAuthenticate(header(text, 'S', 'WWW-Authenticate')!)).toEqual({ daStatus: 'failed', message: undefined });
    expect(header(text, 'S', 'Authentication-Info')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { Contact } from '../../src-shared/messenger-types';
import { formatTraffic, presentEvent, presentList, StepPrinter } from './present';
import { printable, printableJson } from './terminal-text';

describe('StepPrinter', () => {
  it('prints each step when it ends, durations in one column however long the server name', () => {
    let now = 1000;
    const out: string[] = [];
    const p = new StepPrinter((t) => out.push(t), 'https://nexus.example/rdr/pprdr.asp', () => now);
    const server = 'a-very-long-notification-server-name.example.org:1863';
    p.update({ kind: 'connecting', step: 'connecting', attempt: 1, server });
    now += 12;
    p.update({ kind: 'connecting', step: 'authenticating', attempt: 1, server });
    now += 3456;
    p.update({ kind: 'connecting', step: 'passport', attempt: 1, server });
    now += 7;
    p.update({ kind: 'connected', email: 'a@example.com', protocol: 'MSNP8', server });
    expect(out).toEqual([
      `connecting        12 ms  ${server}\n`,
      `authenticating  3456 ms  ${server}\n`,
      'passport           7 ms  https://nexus.example/rdr/pprdr.asp\n',
      `connected as a@example.com with MSNP8 at ${server}\n`,
    ]);
  });

  it('marks the step that failed, and one cut short by the user', () => {
    const out: string[] = [];
    const p = new StepPrinter((t) => out.push(t), 'n', () => 0);
    p.update({ kind: 'connecting', step: 'syncing', attempt: 1, server: 's:1' });
    p.update({ kind: 'signed-out', reason: 'error', error: { code: 'internal', message: 'boom', retryable: false } });
    p.update({ kind: 'connecting', step: 'negotiating', attempt: 1, server: 's:1' });
    p.update({ kind: 'signed-out', reason: 'user' });
    expect(out).toEqual(['syncing            0 ms  s:1 (failed)\n', 'negotiating        0 ms  s:1 (cancelled)\n']);
  });
});

describe('presentEvent / presentList', () => {
  const contact: Contact = {
    email: 'z@example.com',
    nickname: 'Zoë%20✿%20100%%20sûr',
    lists: { FL: true, AL: true, BL: false, RL: true },
    groupIds: ['1'],
    status: 'NLN',
    clientId: 0,
    phones: { PHH: '555%20123' },
  };

  it('decodes nicknames, group names and phone numbers exactly once', () => {
    const printed = presentList({ version: 3, gtc: 'A', blp: 'AL', groups: [{ id: '1', name: 'Ünïcødé%20100%%20friends' }], contacts: [contact], ownPhones: {} });
    expect(printed.groups).toEqual([{ id: '1', name: 'Ünïcødé 100% friends' }]);
    expect(printed.contacts[0]).toMatchObject({ nickname: 'Zoë ✿ 100% sûr', phones: { PHH: '555 123' } });
    // A decoded name that happens to contain %XX is not decoded again.
    expect(presentEvent({ accountId: 'a1', type: 'presence', email: 'z@example.com', status: 'NLN', nickname: '100%2541', clientId: 0 })).toMatchObject({ nickname: '100%41' });
    expect(presentEvent({ accountId: 'a1', type: 'added-you', email: 'z@example.com', nickname: 'a%20b' })).toEqual({ type: 'added-you', email: 'z@example.com', nickname: 'a b' });
    expect(presentEvent({ accountId: 'a1', type: 'own-profile', profile: { email: 'a@example.com', nickname: 'A%20%', status: 'BSY' } })).toEqual({
      type: 'own-profile',
      profile: { email: 'a@example.com', nickname: 'A %', status: 'BSY' },
    });
  });

  it("decodes the names in conversation events: participants, the one who joined, an incoming message's sender", () => {
    const participants = [{ email: 'z@example.com', nickname: 'Zo%C3%AB%20%E2%9C%BF' }];
    const conversation = { id: 'c1', kind: 'group' as const, participants, unread: 0, lastActivity: 1, connected: true };
    expect(presentEvent({ accountId: 'a1', type: 'conversation-opened', conversation })).toEqual({ type: 'conversation-opened', conversation: { ...conversation, participants: [{ email: 'z@example.com', nickname: 'Zoë ✿' }] } });
    expect(presentEvent({ accountId: 'a1', type: 'participant-joined', conversationId: 'c1', participant: participants[0] })).toMatchObject({ participant: { nickname: 'Zoë ✿' } });
    const base = { id: 'm1', conversationId: 'c1', at: 1, from: 'z@example.com', kind: 'text' as const, text: '100%20 as typed', emoticons: [] };
    // The text is the person's own, not a name: never decoded.
    expect(presentEvent({ accountId: 'a1', type: 'message', message: { ...base, direction: 'in', nickname: 'Zo%C3%AB' } })).toEqual({ type: 'message', message: { ...base, direction: 'in', nickname: 'Zoë' } });
    const out = { ...base, direction: 'out' as const, state: 'queued' as const, attempt: 1 };
    expect(presentEvent({ accountId: 'a1', type: 'message', message: out })).toEqual({ type: 'message', message: out });
    expect(presentEvent({ accountId: 'a1', type: 'typing', conversationId: 'c1', email: 'z@example.com', active: true })).toEqual({ type: 'typing', conversationId: 'c1', email: 'z@example.com', active: true });
  });

  it('formats traffic lines with the direction and payload size', () => {
    expect(formatTraffic({ direction: 'out', channel: 'NS', line: 'USR 4 TWN S [redacted]', at: 0 })).toBe('>> NS USR 4 TWN S [redacted]\n');
    expect(formatTraffic({ direction: 'in', channel: 'NS', line: 'MSG Hotmail Hotmail 120', payloadBytes: 120, at: 0 })).toBe('<< NS MSG Hotmail Hotmail 120 (+120 bytes)\n');
    expect(formatTraffic({ direction: 'note', channel: 'NS', line: 'redirected by a:1863 to b:1864 (XFR NS)', at: 0 })).toBe('-- NS redirected by a:1863 to b:1864 (XFR NS)\n');
  });
});

describe('printable / printableJson', () => {
  it('shows every control character but the line break as \\xNN: C0, DEL and C1', () => {
    expect(printable('USR 3 TWN X\x1b]0;PWNED\x07 ok\n')).toBe('USR 3 TWN X\\x1b]0;PWNED\\x07 ok\n');
    expect(printable('a\rb\tc\x00d\x7fe\x9b2Jf')).toBe('a\\x0db\\x09c\\x00d\\x7fe\\x9b2Jf');
    expect(printable('Zoë ✿ 100% sûr \u00a0')).toBe('Zoë ✿ 100% sûr \u00a0');
  });

  it('keeps JSON valid and equal to the value when parsed back', () => {
    const value = { nickname: 'Bob\x1b[2J\x7f\x9b6n\u0085 ✿', n: 1 };
    const text = printableJson(value);
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(JSON.parse(text)).toEqual(value);
    expect(JSON.parse(printableJson(value, 2))).toEqual(value);
  });
});

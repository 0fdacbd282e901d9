// The CLI's conversation commands against the test server: `send` as a real process (exit 0 only when delivered; 1
// with the state and reason otherwise) and in-process for the other outcomes and usage errors; `listen` as a real
// process printing a conversation — text, typing, a nudge, a third person joining and leaving — as JSON lines with
// names decoded and nothing a terminal would obey, answering the invitation by itself.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type AccountSpec, type ListName, type TestServer } from '../../e2e/msn-server/index';
import { ChatAccounts } from '../session/testing/conversation-harness';
import { ExitCode } from './exit-codes';
import { runCli, spawnCli } from './testing/run-cli';

const lists: ListName[] = ['FL', 'AL', 'RL'];
const person = (name: string, nickname: string, others: string[]): AccountSpec => ({
  email: `${name}@example.com`,
  password: `${name}-S3cret-pass`,
  nickname,
  contacts: others.map((o) => ({ email: `${o}@example.com`, lists })),
});
const accounts = [person('ann', 'Ann', ['ben', 'cat']), person('ben', 'Ben ✿ 100% sûr', ['ann', 'cat']), person('cat', 'Cat', ['ann', 'ben'])];
const PW = { PW: 'ann-S3cret-pass' };

let server: TestServer;
const chats = new ChatAccounts(() => server);

beforeAll(async () => {
  server = await startTestServer({ accounts });
});
afterEach(async () => {
  await chats.disposeAll();
  server.faults.reset();
});
afterAll(async () => {
  const errors = server?.state.internalErrors() ?? [];
  await server?.stop();
  expect(errors).toEqual([]);
});

const asAnn = () => ['--server', `${server.ns.host}:${server.ns.port}`, '--nexus', server.nexusUrl, '--email', 'ann@example.com', '--password-env', 'PW'];
const signInBen = () => chats.signIn('ben@example.com', 'ben-S3cret-pass');
/** The texts a chat account received, in order. */
const textsAt = (chat: Awaited<ReturnType<typeof signInBen>>) => chat.log.of('message').filter((e) => e.message.direction === 'in').map((e) => e.message.text);

describe('send, as a process', () => {
  it('delivered: exit 0, one line on stdout, the text arrives once', async () => {
    const ben = await signInBen();
    const r = await spawnCli(['send', 'ben@example.com', 'Grüße, Ben ✿ 😀', ...asAnn()], PW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toBe('delivered to ben@example.com\n');
    await vi.waitFor(() => expect(textsAt(ben)).toEqual(['Grüße, Ben ✿ 😀']));
  });

  it('the contact is offline: exit 1 with the state and the reason', async () => {
    const r = await spawnCli(['send', 'ben@example.com', 'anyone there?', ...asAnn()], PW);
    expect(r.code).toBe(ExitCode.failure);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('not delivered to ben@example.com: failed: Not sent: the contact is offline (or appears offline). [contact-offline]\n');
  });
});

describe('send, in-process', () => {
  it('a long text goes in parts, each delivered', async () => {
    const ben = await signInBen();
    const text = `${'Ünïcødé ✿ '.repeat(300)}the end`;
    const r = await runCli(['send', 'ben@example.com', text, ...asAnn()], PW);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(/^delivered to ben@example\.com \([2-9] parts\)\n$/);
    await vi.waitFor(() => expect(textsAt(ben).join('')).toBe(text));
  });

  it('refused by the server (NAK): exit 1, failed, and why', async () => {
    await signInBen();
    server.faults.set({ nakMessages: 1 });
    const r = await runCli(['send', 'ben@example.com', 'nope', ...asAnn()], PW);
    expect(r.code).toBe(ExitCode.failure);
    expect(r.stderr).toBe('not delivered to ben@example.com: failed: Not delivered: the server could not deliver it. [not-delivered]\n');
  });

  it('no confirmation within --seconds: exit 1, the state it was in', async () => {
    await signInBen();
    server.faults.set({ dropAck: true });
    const r = await runCli(['send', 'ben@example.com', 'relayed, never acknowledged', '--seconds', '1', ...asAnn()], PW);
    expect(r.code).toBe(ExitCode.failure);
    expect(r.stderr).toBe('not delivered to ben@example.com: sent: not confirmed within 1 s\n');
  });

  it('usage errors exit 2 before connecting', async () => {
    const before = server.transcripts().length;
    const cases: [string[], RegExp][] = [
      [['send', 'ben@example.com'], /send needs an address and a text/],
      [['send', 'not-an-address', 'hi'], /"not-an-address" is not an e-mail address/],
      [['send', 'ben@example.com', ''], /the text must not be empty/],
      [['send', 'ben@example.com', 'é'.repeat(20_000)], /the text must be at most 32,768 bytes/],
      [['send', 'ben@example.com', 'two', 'texts'], /quotes/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli([...argv, ...asAnn()], PW);
      expect(r.code, argv.join(' ').slice(0, 40)).toBe(ExitCode.usage);
      expect(r.stderr).toMatch(message);
    }
    expect(server.transcripts()).toHaveLength(before);
  });
});

describe('listen, as a process', () => {
  it('prints text, typing, a nudge and people joining and leaving as JSON lines, names decoded, terminal-safe', async () => {
    let out = '';
    let stop: (name: NodeJS.Signals) => void = () => undefined;
    let script: Promise<void> | undefined;
    const printed = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    const seen = (what: string, match: (e: { type: string; [k: string]: unknown }) => boolean) =>
      vi.waitFor(
        () => {
          if (!printed().some(match)) throw new Error(`listen has not printed ${what}`);
        },
        { timeout: 15_000, interval: 20 },
      );
    const hostile = 'Hallo Ann ✿ \u001b]0;pwned\u0007\u001b[2J \u009b6n';
    const converse = async () => {
      try {
        const ben = await signInBen();
        const cat = await chats.signIn('cat@example.com', 'cat-S3cret-pass');
        const toAnn = ben.conversations.openConversation('ann@example.com').conversationId;
        ben.conversations.sendText(toAnn, hostile);
        await seen('the text', (e) => e.type === 'message');
        ben.conversations.userTyping(toAnn);
        await seen('typing', (e) => e.type === 'typing');
        ben.conversations.sendNudge(toAnn);
        await seen('the nudge', (e) => e.type === 'message' && (e.message as { kind: string }).kind === 'nudge');
        await ben.conversations.invite(toAnn, 'cat@example.com');
        await seen('the group', (e) => e.type === 'conversation-opened' && (e.conversation as { kind: string }).kind === 'group');
        const [catsGroup] = cat.conversations.conversations();
        cat.conversations.leave(catsGroup.id);
        await seen('cat leaving', (e) => e.type === 'participant-left');
      } finally {
        stop('SIGINT');
      }
    };
    const r = await spawnCli(['listen', '--seconds', '60', ...asAnn()], PW, {
      timeoutMs: 60_000,
      onStdout: (all, signal) => {
        out = all;
        stop = signal;
        if (!script && all.includes('"kind":"connected"')) script = converse();
      },
    });
    await script;
    expect(r.timedOut).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.ok);

    // Nothing a terminal would act on, and every line still JSON that reads back to what was sent.
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const events = printed();
    const incoming = events.filter((e) => e.type === 'message').map((e) => e.message as { direction: string; kind: string; text: string; from: string; nickname: string });
    expect(incoming).toEqual([
      expect.objectContaining({ direction: 'in', kind: 'text', text: hostile, from: 'ben@example.com', nickname: 'Ben ✿ 100% sûr' }),
      expect.objectContaining({ direction: 'in', kind: 'nudge', from: 'ben@example.com' }),
    ]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'typing', email: 'ben@example.com', active: true }));
    const group = events.find((e) => e.type === 'conversation-opened' && (e.conversation as { kind: string }).kind === 'group')!;
    expect((group.conversation as { participants: { email: string; nickname: string }[] }).participants).toEqual(
      expect.arrayContaining([
        { email: 'ben@example.com', nickname: 'Ben ✿ 100% sûr' },
        { email: 'cat@example.com', nickname: 'Cat' },
      ]),
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'participant-left', email: 'cat@example.com', reason: 'left' }));
    // The CLI answered the invitation itself (ANS on the switchboard ben opened).
    const annSb = server.transcripts().filter((t) => t.server === 'sb' && t.email === 'ann@example.com');
    expect(annSb.some((t) => t.entries.some((e) => e.dir === 'C' && e.bytes.toString('utf8').startsWith('ANS ')))).toBe(true);
  });
});

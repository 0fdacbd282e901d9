// The demo contact: a bot that is always online, joins any conversation it is called into, greets, shows typing
// notifications and answers. On request it sends the payloads a real network produces, so every decoding path
// of the client is visible to a person trying the app: ISO-8859-1 without a charset, KOI8-R, a nudge, and its
// nickname arrives with raw UTF-8, `%20` and a bare `%` mixed, the way Escargot writes nicknames.
import iconv from 'iconv-lite';
import { defaultTestAccounts, type AccountSpec } from './accounts';
import type { Account, Directory } from './directory';
import type { OnlineUser } from './presence';
import type { Conversation, Participant } from './switchboard-hub';

export const DEMO_BOT_EMAIL = 'butterfly-bot@example.com';
const BOT_NICK = 'Butterfly Bot ✿ démo 100%';

/** The test accounts plus the bot, which is on alice's, bob's and carol's lists (and they on its). */
export function demoAccounts(): AccountSpec[] {
  const accounts = defaultTestAccounts();
  for (const a of accounts) {
    a.contacts = [...(a.contacts ?? []), { email: DEMO_BOT_EMAIL, lists: ['FL', 'AL'], groups: [0] }];
  }
  accounts.push({
    email: DEMO_BOT_EMAIL,
    // Nobody signs in as the bot; a password is required by the account format only.
    password: 'the-bot-never-signs-in',
    nickname: BOT_NICK,
    // Shown under its name from MSNP11 on; Escargot puts it back unescaped, so the `&` tests the client's fallback.
    personalMessage: 'Call me & I echo what you write ✿',
    contacts: accounts.map((a) => ({ email: a.email, lists: ['FL', 'AL'] as ('FL' | 'AL')[] })),
  });
  return accounts;
}

const HELP = [
  "Hi! I'm the Butterfly demo bot. I echo what you write, and I answer these words:",
  'latin1 — a message in ISO-8859-1 without a charset',
  'koi8 — a message in KOI8-R',
  'nudge — a nudge',
  'all — all of the above',
].join('\r\n');

function textPayload(body: Buffer, contentType: string): Buffer {
  const head = Buffer.from(`MIME-Version: 1.0\r\nContent-Type: ${contentType}\r\nX-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=800000; CS=0; PF=22\r\n\r\n`, 'ascii');
  return Buffer.concat([head, body]);
}

export function botPayloads(): Record<'latin1' | 'koi8' | 'nudge', Buffer> {
  return {
    // No charset parameter: the receiver must read the body as ISO-8859-1 (encodings.md).
    latin1: textPayload(Buffer.from('Olá! Ça va très bien, merci. (ISO-8859-1, no charset)', 'latin1'), 'text/plain'),
    koi8: textPayload(iconv.encode('Привет! Это сообщение в кодировке KOI8-R.', 'koi8-r'), 'text/plain; charset=KOI8-R'),
    nudge: Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/x-msnmsgr-datacast\r\n\r\nID: 1\r\n\r\n', 'ascii'),
  };
}

export class DemoBot implements OnlineUser {
  readonly status = 'NLN';
  readonly clientId = '0';
  readonly account: Account;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    directory: Directory,
    private readonly options: { replyDelayMs: number },
  ) {
    const account = directory.get(DEMO_BOT_EMAIL);
    if (!account) throw new Error('demo bot account missing from the accounts');
    this.account = account;
  }

  get email(): string {
    return this.account.email;
  }

  joinConversation(conv: Conversation): void {
    let greeted = false;
    const account = this.account;
    const participant: Participant = {
      email: account.email,
      clientId: this.clientId,
      get nickname() {
        return account.nickname;
      },
      deliver: (from, payload) => {
        const text = parseText(payload);
        if (text === undefined) return;
        greeted = true;
        // Answer on a later turn, as a remote client would: the sender's ACK goes out first.
        setImmediate(() => this.answer(conv, participant, from, text));
      },
      joined: () => undefined,
      left: () => {
        if (conv.participants.length === 1) conv.leave(participant, 'out');
      },
      close: () => undefined,
    };
    conv.join(participant);
    this.later(() => {
      if (!greeted && conv.has(this.email)) this.say(conv, participant, [textPayload(Buffer.from(HELP, 'utf8'), 'text/plain; charset=UTF-8')]);
    });
  }

  private answer(conv: Conversation, me: Participant, _from: Participant, text: string): void {
    const word = text.trim().toLowerCase();
    const p = botPayloads();
    const replies: Buffer[] =
      word === 'latin1' ? [p.latin1]
      : word === 'koi8' ? [p.koi8]
      : word === 'nudge' ? [p.nudge]
      : word === 'all' ? [p.latin1, p.koi8, p.nudge]
      : word === 'help' || word === 'hi' || word === 'hello' ? [textPayload(Buffer.from(HELP, 'utf8'), 'text/plain; charset=UTF-8')]
      : [textPayload(Buffer.from(`You said: ${text}`, 'utf8'), 'text/plain; charset=UTF-8')];
    this.say(conv, me, replies);
  }

  /** Typing first, then the messages after the reply delay. */
  private say(conv: Conversation, me: Participant, payloads: Buffer[]): void {
    const typing = Buffer.from(`MIME-Version: 1.0\r\nContent-Type: text/x-msmsgscontrol\r\nTypingUser: ${this.email}\r\n\r\n\r\n`, 'ascii');
    if (!conv.has(this.email)) return;
    conv.relay(me, typing);
    this.later(() => {
      if (!conv.has(this.email)) return;
      for (const payload of payloads) conv.relay(me, payload);
    });
  }

  private later(fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, this.options.replyDelayMs);
    this.timers.add(t);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** The text of a text/plain message (UTF-8, or Latin-1 without a charset); undefined for anything else. */
function parseText(payload: Buffer): string | undefined {
  const sep = payload.indexOf('\r\n\r\n');
  if (sep < 0) return undefined;
  const headers = payload.subarray(0, sep).toString('latin1');
  const type = /^content-type:\s*([^\r\n]*)/im.exec(headers)?.[1] ?? '';
  if (!/^text\/plain/i.test(type)) return undefined;
  const body = payload.subarray(sep + 4);
  return /charset=utf-8/i.test(type) ? body.toString('utf8') : body.toString('latin1');
}

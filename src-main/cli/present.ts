// What the CLI prints: the service's events (conversations' included) and lists with every name decoded (once) by
// the shared URL codec, so a person or a script reads "Alice ✿ 100%" where the wire said "Alice%20✿%20100%"; the
// `check` step lines; `send`'s outcome; and the `--verbose` traffic lines (already redacted by the session). main.ts
// makes all of it printable on the way out (terminal-text.ts).
import type { ConnectionCheckResult } from '../../src-shared/connection-settings';
import type { DeliveryReason, DeliveryState } from '../../src-shared/conversation-types';
import type { ConnectionState, Contact, ContactListSnapshot, MessengerEvent, TrafficEntry } from '../../src-shared/messenger-types';
import { renderCurrentMedia, type CurrentMedia } from '../../src-shared/personal-status';
import { decodeName } from '../../src-shared/url-codec';

export interface PrintedContact extends Omit<Contact, 'nickname' | 'phones'> {
  nickname: string;
  phones: Record<string, string>;
  /** Now playing, rendered from its template ("Title - Artist"), when they play something. */
  nowPlaying?: string;
}

/** The now-playing line beside the media's fields, when it shows anything. */
const nowPlaying = (media: CurrentMedia | undefined) => {
  const text = media ? renderCurrentMedia(media) : '';
  return text ? { nowPlaying: text } : {};
};

export function presentList(list: ContactListSnapshot) {
  return {
    version: list.version,
    gtc: list.gtc,
    blp: list.blp,
    groups: list.groups.map((g) => ({ id: g.id, name: decodeName(g.name) })),
    contacts: list.contacts.map(presentContact),
  };
}

export function presentContact(c: Contact): PrintedContact {
  return { ...c, nickname: decodeName(c.nickname), phones: decodeValues(c.phones), ...nowPlaying(c.currentMedia) };
}

/** An event as `listen` prints it: names decoded, without the account id (the CLI shows one account). */
export function presentEvent({ accountId: _accountId, ...event }: MessengerEvent): unknown {
  switch (event.type) {
    case 'contact-list':
      return { type: event.type, list: presentList(event.list) };
    case 'presence':
      return { ...event, nickname: decodeName(event.nickname), ...nowPlaying(event.currentMedia) };
    case 'added-you':
      return { ...event, nickname: decodeName(event.nickname) };
    case 'own-profile':
      return { type: event.type, profile: { ...event.profile, nickname: decodeName(event.profile.nickname), ...nowPlaying(event.profile.currentMedia) } };
    case 'conversation-opened':
    case 'conversation-updated':
      return { ...event, conversation: { ...event.conversation, participants: event.conversation.participants.map(decodeParticipant) } };
    case 'participant-joined':
      return { ...event, participant: decodeParticipant(event.participant) };
    case 'message':
      return event.message.direction === 'in' ? { ...event, message: decodeParticipant(event.message) } : event;
    default:
      return event;
  }
}

const decodeParticipant = <P extends { nickname: string }>(p: P): P => ({ ...p, nickname: decodeName(p.nickname) });

function decodeValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, decodeName(v)]));
}

const ARROWS: Record<TrafficEntry['direction'], string> = { out: '>>', in: '<<', note: '--' };

/** `>> NS VER 1 MSNP8 …` / `<< HTTP 200 ← GET …` / `-- NS redirected by … to …`: one line each, for stderr. */
export function formatTraffic(t: TrafficEntry): string {
  const size = t.payloadBytes ? ` (+${t.payloadBytes} bytes)` : '';
  return `${ARROWS[t.direction]} ${t.channel} ${t.line}${size}\n`;
}

const LABEL_WIDTH = 15; // 'authenticating' + 1

/**
 * Prints a step when it is over, with how long it took: the duration sits in a fixed column before the
 * variable-length detail, so long server names never push it out of line.
 */
export class StepPrinter {
  private current: { label: string; detail: string; since: number } | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly nexusUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  update(state: ConnectionState): void {
    switch (state.kind) {
      case 'connecting':
        this.finish();
        // The passport step talks to the nexus and the login server, not to the MSN server.
        this.current = { label: state.step, detail: state.step === 'passport' ? this.nexusUrl : state.server, since: this.now() };
        return;
      case 'connected':
        this.finish();
        this.write(`connected as ${state.email} with ${state.protocol} at ${state.server}\n`);
        return;
      case 'reconnecting':
        this.finish(' (lost)');
        this.write(`reconnecting in ${state.inSeconds} s: ${state.error.message}\n`);
        return;
      case 'signed-out':
        this.finish(state.error ? ' (failed)' : ' (cancelled)');
        return;
    }
  }

  private finish(outcome = ''): void {
    const step = this.current;
    if (!step) return;
    this.current = undefined;
    const ms = `${Math.max(0, Math.round(this.now() - step.since))} ms`;
    this.write(`${step.label.padEnd(LABEL_WIDTH)}${ms.padStart(8)}  ${step.detail}${outcome}\n`);
  }
}

/** The route check after a network failure: one line per hop, `ok`/`failed`/`skipped`, its time and what was found. */
export function formatRouteCheck(result: ConnectionCheckResult): string {
  const lines = result.steps.map((s) => {
    const said = s.error ? `: ${s.error.message}` : s.detail ? ` (${s.detail})` : '';
    return `  ${s.status.padEnd(8)}${`${s.ms} ms`.padStart(8)}  ${s.label}${said}`;
  });
  return `route check (${result.route}):\n${lines.join('\n')}\n`;
}

/** Where one sent message (or part of a long one) ended. */
export interface MessageOutcome {
  state: DeliveryState;
  reason?: DeliveryReason;
}

/**
 * `send`'s report: `delivered to bob@example.com` (stdout), or one line per part that was not delivered with its
 * state and why (stderr); the flag says which.
 */
export function formatOutcome(to: string, parts: readonly MessageOutcome[], seconds: number): [line: string, delivered: boolean] {
  if (parts.every((p) => p.state === 'delivered')) return [`delivered to ${to}${parts.length > 1 ? ` (${parts.length} parts)` : ''}\n`, true];
  const lines = parts.flatMap((p, i) => {
    if (p.state === 'delivered') return [];
    const part = parts.length > 1 ? `part ${i + 1} of ${parts.length} ` : '';
    const why = p.reason ? `${p.reason.message} [${p.reason.code}]` : `not confirmed within ${seconds} s`;
    return [`not delivered to ${to}: ${part}${p.state}: ${why}\n`];
  });
  return [lines.join(''), false];
}

// Errors in the person's words and language, from what main sends: the code (never the message text), plus what the
// person was doing (the action and its e-mail address or group name). Main's own English message stays available as
// the technical detail where the translated sentence is general (a transport failure names the host there).
import type { ParseKeys, TFunction } from 'i18next';
import type { ErrorCode, ErrorInfo } from '../../src-shared/errors';
import type { ErrorContext } from '../store/ui-slice';

export type TranslationKey = ParseKeys<'translation'>;

export interface ErrorWords {
  text: string;
  /** Main's message, when it says more than `text` (shown under "Details"). */
  detail?: string;
}

const exact: Partial<Record<ErrorCode, TranslationKey>> = {
  'auth.wrong-password': 'errors.auth.wrong-password',
  'auth.unknown-account': 'errors.auth.unknown-account',
  'auth.passport-failed': 'errors.auth.passport-failed',
  'auth.passport-unreadable': 'errors.auth.passport-unreadable',
  'auth.passport-redirect-refused': 'errors.auth.passport-redirect-refused',
  'transport.host-not-found': 'errors.transport.host-not-found',
  'transport.proxy-unreachable': 'errors.transport.proxy-unreachable',
  'transport.proxy-auth-required': 'errors.transport.proxy-auth-required',
  'transport.proxy-auth-failed': 'errors.transport.proxy-auth-failed',
  'transport.proxy-refused': 'errors.transport.proxy-refused',
  'transport.proxy-protocol': 'errors.transport.proxy-protocol',
  'transport.proxy-closed': 'errors.transport.proxy-closed',
  'transport.target-unreachable': 'errors.transport.target-unreachable',
  'transport.unsupported': 'errors.transport.unsupported',
  'transport.timeout': 'errors.transport.timeout',
  'transport.aborted': 'errors.transport.aborted',
  'transport.connection-lost': 'errors.transport.connection-lost',
  'transport.gateway-failed': 'errors.transport.gateway-failed',
  'transport.unexpected-reply': 'errors.transport.unexpected-reply',
  'transport.http-failed': 'errors.transport.http-failed',
  'transport.response-too-large': 'errors.transport.response-too-large',
  'session.timeout': 'errors.session.timeout',
  'session.protocol-mismatch': 'errors.session.protocol-mismatch',
  'session.redirect-loop': 'errors.session.redirect-loop',
  'session.unexpected-reply': 'errors.session.unexpected-reply',
  'session.garbled-stream': 'errors.session.garbled-stream',
  'session.list-too-large': 'errors.session.list-too-large',
  'session.connection-closed': 'errors.session.connection-closed',
  'session.ping-timeout': 'errors.session.ping-timeout',
  'session.not-connected': 'errors.session.not-connected',
  'session.signed-in-elsewhere': 'errors.session.signed-in-elsewhere',
  'session.server-shutdown': 'errors.session.server-shutdown',
  'session.cancelled': 'errors.session.cancelled',
  'session.signed-out': 'errors.session.signed-out',
  'session.not-supported': 'errors.session.not-supported',
  'protocol.bad-argument': 'errors.protocol.bad-argument',
  'conversation.bad-address': 'errors.conversation.bad-address',
  'conversation.is-you': 'errors.conversation.is-you',
  'conversation.nudge-too-soon': 'errors.conversation.nudge-too-soon',
  'conversation.no-answer': 'errors.conversation.no-answer',
  'conversation.already-there': 'errors.conversation.already-there',
  'conversation.text-too-long': 'errors.conversation.text-too-long',
  'conversation.not-signed-in': 'errors.conversation.not-signed-in',
  'switchboard.appear-offline': 'errors.switchboard.appear-offline',
  'ipc.bridge-unavailable': 'errors.ipc.unavailable',
  'ipc.bridge-closed': 'errors.ipc.closed',
  'ipc.bridge-no-session': 'errors.ipc.no-session',
  'settings.invalid': 'errors.settings.invalid',
  'settings.unreadable': 'errors.settings.unreadable',
  internal: 'errors.internal',
};

/** Families whose members share one sentence (main's message adds the particulars). */
const byFamily: Record<string, TranslationKey> = {
  protocol: 'errors.protocol.broken',
  conversation: 'errors.conversation.generic',
  switchboard: 'errors.switchboard.generic',
  ipc: 'errors.ipc.refused',
  service: 'errors.ipc.refused',
  cli: 'errors.internal',
};

/** Sentences that say all there is: no detail under them. */
const complete = new Set<string>(['auth.wrong-password', 'auth.unknown-account', 'session.signed-in-elsewhere', 'session.cancelled', 'session.not-connected', 'session.signed-out']);

const BUSY = new Set([500, 501, 600, 601, 602, 603, 604, 605, 707, 910, 912, 914, 915, 916, 918, 919, 920, 921, 922]);
const WITH_CONTACT = new Set([205, 206, 208, 215, 216, 219, 225]);

function serverWords(t: TFunction, n: number, context: ErrorContext | undefined, nameOf: (email: string) => string): { key: TranslationKey; params: Record<string, string | number>; general: boolean } {
  const email = context?.email;
  const params = { number: n, email: email ?? '', name: email ? nameOf(email) : '', group: context?.group ?? '' };
  if (BUSY.has(n)) return { key: 'errors.server.busy', params, general: false };
  if (n === 800) return { key: 'errors.server.tooFast', params, general: false };
  if ((n === 911 || n === 917 || n === 928) && context?.action === 'sign-in') return { key: 'errors.auth.wrong-password', params, general: false };
  if (WITH_CONTACT.has(n) && !email) return { key: 'errors.server.generic', params, general: true };
  // 215 means "already on the list": for the allow or block list that is a setting already in force.
  if (n === 215 && context?.action !== 'add-contact') return { key: 'errors.server.218', params, general: false };
  if (n === 201 && email) return { key: 'errors.server.201_contact', params, general: false };
  if (n === 228 && !context?.group) return { key: 'errors.server.generic', params, general: true };
  const specific: Partial<Record<number, TranslationKey>> = {
    200: 'errors.server.200',
    201: 'errors.server.201',
    205: 'errors.server.205',
    206: 'errors.server.206',
    208: 'errors.server.205',
    209: 'errors.server.209',
    210: 'errors.server.210',
    215: 'errors.server.215',
    216: 'errors.server.216',
    217: 'errors.server.217',
    218: 'errors.server.218',
    219: 'errors.server.219',
    223: 'errors.server.223',
    224: 'errors.server.224',
    225: 'errors.server.225',
    228: 'errors.server.228',
    229: 'errors.server.229',
    230: 'errors.server.230',
    231: 'errors.server.224',
    913: 'errors.server.913',
  };
  const key = specific[n];
  return key ? { key, params, general: false } : { key: 'errors.server.generic', params, general: true };
}

export function describeError(t: TFunction, error: ErrorInfo, context?: ErrorContext, nameOf: (email: string) => string = (e) => e): ErrorWords {
  const code: string = error.code;
  const server = /^server\.(\d+)$/.exec(code);
  if (server) {
    const { key, params, general } = serverWords(t, Number(server[1]), context, nameOf);
    return { text: t(key, params), detail: general ? error.message : undefined };
  }
  const key = exact[error.code] ?? byFamily[code.split('.')[0] ?? ''];
  if (!key) return { text: t('errors.fallback', { message: error.message }) };
  const text = t(key);
  return { text, detail: complete.has(code) || error.message === text ? undefined : error.message };
}

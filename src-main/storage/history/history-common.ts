// What both history stores share: checking arguments, cursors, the exact shape of what is stored (so the disk and
// memory stores give back the same objects), and turning a matching message into a search hit.
import {
  MAX_FONT_NAME_LENGTH,
  SAFE_FONT_NAME,
  type ConversationMessage,
  type ConversationParticipant,
  type DeliveryReasonCode,
  type DeliveryState,
  type EmoticonToken,
  type MessageFormat,
} from '../../../src-shared/conversation-types';
import { ButterflyError } from '../../../src-shared/errors';
import type { ConversationRecord, HistoryMessage, PageAnchor, SearchHit, StateChange } from './history-types';
import { makeSnippet, matchRanges, parseSearchQuery, type SearchTerm } from './search-text';

export const badRequest = (message: string) => new ButterflyError('history.bad-request', message);
export const unknownConversation = (id: string) => new ButterflyError('history.unknown-conversation', `No conversation ${JSON.stringify(id)} in the history.`);
export const unknownMessage = (id: string) => new ButterflyError('history.unknown-message', `No message ${JSON.stringify(id)} in the history.`);
export const closedError = () => new ButterflyError('history.closed', 'The history is closed.');

/** The same shape as the contract's account ids: safe as a file name on every system. */
const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
export function checkAccountId(accountId: string): void {
  if (!ACCOUNT_ID.test(accountId)) throw badRequest('An account id is 1–64 letters, digits, "-" or "_".');
}

const MAX_ID_LENGTH = 200;
function checkId(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_ID_LENGTH) throw badRequest(`${what} must be a non-empty string of at most ${MAX_ID_LENGTH} characters.`);
}

export function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw badRequest(`A limit is a whole number from 1 to ${max}.`);
  return limit;
}

/** Cursors are a message's (or conversation's) place in the order things were recorded, as text. */
export const seqCursor = (seq: number): string => String(seq);
export function parseSeqCursor(cursor: string): number {
  if (typeof cursor !== 'string' || !/^[1-9][0-9]{0,14}$/.test(cursor)) throw badRequest('That is not a cursor this history gave out.');
  return Number(cursor);
}

/** A place in the conversation list: its last activity, then its number. */
export const activityCursor = (lastActivity: number, cid: number): string => `${lastActivity}.${cid}`;
export function parseActivityCursor(cursor: string): [number, number] {
  const m = typeof cursor === 'string' ? /^(-?[0-9]{1,16})\.([1-9][0-9]{0,14})$/.exec(cursor) : null;
  if (!m) throw badRequest('That is not a cursor this history gave out.');
  return [Number(m[1]), Number(m[2])];
}

export function checkAnchor(anchor: PageAnchor): PageAnchor {
  switch (anchor?.kind) {
    case 'newest':
    case 'oldest':
      return anchor;
    case 'before':
    case 'after':
      parseSeqCursor(anchor.cursor);
      return anchor;
    case 'around':
      checkId(anchor.messageId, 'A message id');
      return anchor;
    default:
      throw badRequest('A page starts at newest, oldest, before or after a cursor, or around a message.');
  }
}

/** How a page around a message is split: this many before it, the rest (with it) from it on. */
export const aroundSplit = (limit: number) => ({ before: Math.floor((limit - 1) / 2), from: limit - Math.floor((limit - 1) / 2) });

export function parseQuery(text: string): SearchTerm[] {
  if (typeof text !== 'string') throw badRequest('A search is text.');
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw badRequest(`That search is too long: ${parsed.problem}.`);
  return parsed.terms;
}

export function toHit(message: HistoryMessage, terms: readonly SearchTerm[]): SearchHit {
  const matches = matchRanges(message.text, terms) ?? [];
  return { message, matches, snippet: makeSnippet(message.text, matches) };
}

export const contactKey = (email: string): string => email.trim().toLowerCase();

export function checkConversationRecord(record: ConversationRecord): ConversationRecord {
  checkId(record?.id, 'A conversation id');
  if (record.kind !== 'single' && record.kind !== 'group') throw badRequest('A conversation is single or group.');
  if (record.kind === 'single') checkId(record.contact, 'A single conversation’s contact');
  if (!Array.isArray(record.participants)) throw badRequest('A conversation’s participants are a list.');
  return {
    id: record.id,
    kind: record.kind,
    ...(record.kind === 'single' ? { contact: record.contact } : {}),
    participants: pickParticipants(record.participants),
  };
}

export function pickParticipants(value: unknown): ConversationParticipant[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((p): p is ConversationParticipant => typeof p?.email === 'string' && p.email !== '' && typeof p.nickname === 'string')
    .map((p) => ({ email: p.email, nickname: p.nickname }));
}

export function pickEmails(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((e): e is string => typeof e === 'string') : [];
}

const COLOR = /^#[0-9a-f]{6}$/;
const FORMAT_FLAGS = ['bold', 'italic', 'underline', 'strikethrough', 'rightToLeft'] as const;

/** Only well-formed MessageFormat fields: nothing that could carry markup or a style reaches the UI, even from a tampered file. */
export function pickFormat(value: unknown): MessageFormat | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const f = value as Record<string, unknown>;
  const out: MessageFormat = {};
  // The same rule as the switchboard's (im-format.ts): 微软雅黑 and ＭＳ ゴシック are fonts too.
  if (typeof f.font === 'string' && f.font.length <= MAX_FONT_NAME_LENGTH && SAFE_FONT_NAME.test(f.font)) out.font = f.font;
  for (const flag of FORMAT_FLAGS) if (f[flag] === true) out[flag] = true;
  if (typeof f.color === 'string' && COLOR.test(f.color)) out.color = f.color;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function pickEmoticons(value: unknown, text: string): EmoticonToken[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (e): e is EmoticonToken =>
        Number.isInteger(e?.start) && Number.isInteger(e.end) && e.start >= 0 && e.end > e.start && e.end <= text.length &&
        typeof e.code === 'string' && text.slice(e.start, e.end) === e.code && typeof e.name === 'string' && e.name.length <= 64,
    )
    .map((e) => ({ start: e.start, end: e.end, code: e.code, name: e.name }));
}

const STATES: readonly DeliveryState[] = ['queued', 'sent', 'delivered', 'failed', 'unconfirmed'];
export const isDeliveryState = (s: unknown): s is DeliveryState => STATES.includes(s as DeliveryState);

export function checkStateChange(change: StateChange): StateChange {
  checkId(change?.conversationId, 'A conversation id');
  checkId(change.messageId, 'A message id');
  if (!isDeliveryState(change.state)) throw badRequest('Not a delivery state.');
  if (!Number.isInteger(change.attempt) || change.attempt < 1) throw badRequest('An attempt is a whole number from 1.');
  return { ...change, ...(change.reason ? { reason: { code: change.reason.code as DeliveryReasonCode, message: String(change.reason.message) } } : {}) };
}

/**
 * The message exactly as it is stored and given back (known fields only), without participants. Refuses what the
 * database would refuse, so one bad message fails alone instead of failing the write it shares.
 */
export function storedForm(message: ConversationMessage): ConversationMessage {
  checkId(message?.id, 'A message id');
  checkId(message.conversationId, 'A conversation id');
  if (!Number.isFinite(message.at)) throw badRequest('A message’s time is a number.');
  if (typeof message.from !== 'string' || typeof message.text !== 'string') throw badRequest('A message has a sender and a text.');
  if (message.kind !== 'text' && message.kind !== 'nudge') throw badRequest('A message is a text or a nudge.');
  const format = pickFormat(message.format);
  const base = {
    id: message.id,
    conversationId: message.conversationId,
    at: message.at,
    from: message.from,
    kind: message.kind,
    text: message.text,
    ...(format ? { format } : {}),
    emoticons: pickEmoticons(message.emoticons, message.text),
  };
  if (message.direction === 'out') {
    if (!isDeliveryState(message.state)) throw badRequest('Not a delivery state.');
    const part = message.part;
    return {
      ...base,
      direction: 'out',
      state: message.state,
      ...(message.reason ? { reason: { code: message.reason.code, message: String(message.reason.message) } } : {}),
      attempt: Number.isInteger(message.attempt) && message.attempt >= 1 ? message.attempt : 1,
      ...(part && Number.isInteger(part.index) && Number.isInteger(part.count) ? { part: { index: part.index, count: part.count } } : {}),
    };
  }
  if (message.direction !== 'in') throw badRequest('A message goes in or out.');
  return {
    ...base,
    direction: 'in',
    nickname: typeof message.nickname === 'string' ? message.nickname : '',
    ...(typeof message.charset === 'string' ? { charset: message.charset } : {}),
    ...(message.unknownCharset ? { unknownCharset: true } : {}),
    ...(message.malformed ? { malformed: true } : {}),
  };
}

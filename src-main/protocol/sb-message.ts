// Exports: readSwitchboardPayload (a received switchboard MSG payload → what a person sent: text with validated
// formatting and emoticon tokens, typing, a nudge, unsupported content, or control traffic nobody sees),
// splitForSwitchboard (text → parts that each fit one MSG), SWITCHBOARD_MAX_PAYLOAD_BYTES, SwitchboardContent.
//
// Splitting, not refusing: a person who pastes a long text expects it to arrive, and every peer shows consecutive
// messages one after the other. The limit is the switchboard's commonly cited 1664-byte payload (switchboard.md; the
// real limit is unverified and Escargot enforces none, so staying under the strictest figure is safe everywhere).
// Parts end on grapheme-cluster boundaries — never inside a UTF-8 sequence, a surrogate pair, a CRLF or an emoji
// sequence (only a single cluster larger than a whole part, which no real text has, is cut between code points) —
// and preferably after a space in the second half of the part, so words stay whole.
import type { EmoticonToken } from '../../src-shared/conversation-types';
import { findEmoticons } from './emoticons';
import { DATACAST_NUDGE, buildTextMessage, parseImMessage } from './im-message';
import type { TextFormat } from './im-format';
import { ProtocolError } from './protocol-error';

export const SWITCHBOARD_MAX_PAYLOAD_BYTES = 1664;

export type SwitchboardContent =
  | {
      kind: 'text';
      /** Line breaks as `\n`. */
      text: string;
      format: TextFormat | undefined;
      emoticons: EmoticonToken[];
      charset: string;
      unknownCharset: boolean;
      malformed: boolean;
    }
  | { kind: 'typing'; user: string }
  | { kind: 'nudge' }
  /** Sent by a person but not shown by Butterfly yet (P2P, invitations, custom emoticons, winks, ink, …). */
  | { kind: 'unsupported'; contentType: string }
  /** Client-to-client housekeeping no person sees (client capabilities, keep-alives). */
  | { kind: 'control'; contentType: string };

const CONTROL_TYPES = new Set(['text/x-clientcaps', 'text/x-keepalive']);

/** Never throws: whatever is not text, typing or a nudge is unsupported content or control traffic. */
export function readSwitchboardPayload(payload: Uint8Array): SwitchboardContent {
  const m = parseImMessage(payload);
  switch (m.type) {
    case 'text':
      return {
        kind: 'text',
        text: m.text,
        format: m.format,
        emoticons: findEmoticons(m.text),
        charset: m.charset,
        unknownCharset: m.unknownCharset,
        malformed: m.malformed,
      };
    case 'typing':
      return { kind: 'typing', user: m.user };
    case 'datacast':
      return m.id === DATACAST_NUDGE ? { kind: 'nudge' } : { kind: 'unsupported', contentType: 'text/x-msnmsgr-datacast' };
    case 'other':
      return CONTROL_TYPES.has(m.contentType) ? { kind: 'control', contentType: m.contentType } : { kind: 'unsupported', contentType: m.contentType };
    default:
      // Profile and mail notifications come from the NS only; on a switchboard they are someone's odd payload.
      return { kind: 'unsupported', contentType: m.type === 'mail' ? m.contentType : 'text/x-msmsgsprofile' };
  }
}

const utf8 = new TextEncoder();
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Bytes a piece of text takes in a text message body (newlines go out as CRLF). */
const wireBytes = (s: string): number => utf8.encode(s.replace(/\r?\n/g, '\r\n')).length;

/** Grapheme clusters; a cluster bigger than `budget` bytes (absurd combining runs) comes as its code points. */
function* units(text: string, budget: number): Generator<{ s: string; bytes: number }> {
  for (const { segment } of segmenter.segment(text)) {
    const bytes = wireBytes(segment);
    if (bytes <= budget) yield { s: segment, bytes };
    else for (const cp of segment) yield { s: cp, bytes: wireBytes(cp) };
  }
}

/**
 * Splits `text` into parts such that `buildTextMessage(part, format)` of each is at most `maxPayloadBytes` long.
 * Text that fits comes back as the only part; '' gives no parts. Throws ProtocolError 'protocol.bad-argument' when
 * the format alone leaves no room for text.
 */
export function splitForSwitchboard(text: string, format: TextFormat | undefined, maxPayloadBytes = SWITCHBOARD_MAX_PAYLOAD_BYTES): string[] {
  if (text === '') return [];
  const budget = maxPayloadBytes - buildTextMessage('', format).length;
  // Room for at least two of the widest units (a 4-byte character; a CRLF is 2).
  if (budget < 8) throw new ProtocolError('protocol.bad-argument', 'The message format leaves no room for text in a switchboard message.');
  if (wireBytes(text) <= budget) return [text];
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  // Where the part could end after whitespace, and how many bytes lie before that point.
  let breakAt = -1;
  let breakBytes = 0;
  for (const u of units(text, budget)) {
    // Twice at most: a cut after whitespace may leave too little room, then the rest of the part goes as it is.
    while (bytes + u.bytes > budget && current !== '') {
      if (breakAt > 0 && breakBytes * 2 >= budget) {
        parts.push(current.slice(0, breakAt));
        current = current.slice(breakAt);
        bytes -= breakBytes;
      } else {
        parts.push(current);
        current = '';
        bytes = 0;
      }
      breakAt = -1;
      breakBytes = 0;
    }
    current += u.s;
    bytes += u.bytes;
    if (/^\s+$/u.test(u.s)) {
      breakAt = current.length;
      breakBytes = bytes;
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}

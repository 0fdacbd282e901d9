// Exports: parseImMessage (a MSG payload → ImMessage: text with format and charset, typing, datacast/nudge, profile,
// mail notification, or other), and the builders buildTextMessage, buildTypingMessage, buildNudgeMessage,
// buildDatacastMessage; plus ImMessage and its members, and DATACAST_NUDGE.
// We always send text as UTF-8 with charset=UTF-8. Unknown content types come back as 'other' for the caller to ignore.
import { decodeBody, OUTGOING_TEXT_CONTENT_TYPE, parseContentType } from './charset';
import { formatImFormat, parseImFormat, type TextFormat } from './im-format';
import { ProtocolError } from './protocol-error';
import { buildMime, getHeader, parseHeaderFields, parseMime, type MimeHeader, type MimeMessage } from './mime';

export const DATACAST_NUDGE = 1;

export interface TextMessage {
  type: 'text';
  /** The text with `\r\n` line breaks turned into `\n`. */
  text: string;
  /** From X-MMS-IM-Format; undefined when the sender gave none. */
  format: TextFormat | undefined;
  /** The charset the body was decoded with. */
  charset: string;
  /** The declared charset is unknown: decoded as ISO-8859-1, worth marking in the UI. */
  unknownCharset: boolean;
  /** Some bytes could not be decoded and show as U+FFFD. */
  malformed: boolean;
}

export interface TypingMessage {
  type: 'typing';
  /** The TypingUser header ('' when missing). */
  user: string;
}

export interface DatacastMessage {
  type: 'datacast';
  /** 1 nudge, 2 wink, 3 voice clip, 4 action message; NaN when the ID line is missing or garbled. */
  id: number;
  /** The `Data:` line (an msnobject for winks and voice clips), when present. */
  data?: string;
}

/** text/x-msmsgsprofile: the fields are the headers themselves. Holds MSPAuth: never log it. */
export interface ProfileMessage {
  type: 'profile';
  fields: Record<string, string>;
}

/** text/x-msmsgs(initial)emailnotification, (initial)mdatanotification, activemailnotification: fields in the body. */
export interface MailMessage {
  type: 'mail';
  contentType: string;
  fields: Record<string, string>;
}

export interface OtherMessage {
  type: 'other';
  contentType: string;
  message: MimeMessage;
}

export type ImMessage = TextMessage | TypingMessage | DatacastMessage | ProfileMessage | MailMessage | OtherMessage;

const MAIL_TYPES = new Set([
  'text/x-msmsgsinitialemailnotification',
  'text/x-msmsgsemailnotification',
  'text/x-msmsgsinitialmdatanotification',
  'text/x-msmsgsactivemailnotification',
]);

const fieldsOf = (headers: MimeHeader[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const h of headers) if (!Object.prototype.hasOwnProperty.call(out, h.name)) out[h.name] = h.value;
  return out;
};

/** Never throws: anything it cannot classify is 'other'. */
export function parseImMessage(payload: Uint8Array): ImMessage {
  const message = parseMime(payload);
  const contentTypeValue = getHeader(message, 'Content-Type');
  const contentType = parseContentType(contentTypeValue);
  switch (contentType.mediaType) {
    case 'text/plain': {
      const decoded = decodeBody(message.body, contentTypeValue);
      const formatValue = getHeader(message, 'X-MMS-IM-Format');
      return {
        type: 'text',
        text: decoded.text.replace(/\r\n/g, '\n'),
        format: formatValue === undefined ? undefined : parseImFormat(formatValue),
        charset: decoded.charset,
        unknownCharset: decoded.unknownCharset,
        malformed: decoded.malformed,
      };
    }
    case 'text/x-msmsgscontrol':
      return { type: 'typing', user: getHeader(message, 'TypingUser') ?? '' };
    case 'text/x-msnmsgr-datacast': {
      const fields = parseHeaderFields(decodeBody(message.body, 'text/plain; charset=UTF-8').text);
      const id = fields.find((f) => f.name.toLowerCase() === 'id')?.value;
      const data = fields.find((f) => f.name.toLowerCase() === 'data')?.value;
      const result: DatacastMessage = { type: 'datacast', id: id !== undefined && /^\d{1,6}$/.test(id) ? Number(id) : Number.NaN };
      if (data !== undefined) result.data = data;
      return result;
    }
    case 'text/x-msmsgsprofile':
      return { type: 'profile', fields: fieldsOf(message.headers.filter((h) => !/^(mime-version|content-type)$/i.test(h.name))) };
    default:
      if (MAIL_TYPES.has(contentType.mediaType)) {
        const text = decodeBody(message.body, contentTypeValue ?? 'text/plain; charset=UTF-8').text;
        return { type: 'mail', contentType: contentType.mediaType, fields: fieldsOf(parseHeaderFields(text)) };
      }
      return { type: 'other', contentType: contentType.mediaType, message };
  }
}

/** A text message: UTF-8, charset=UTF-8, X-MMS-IM-Format from `format` (defaults filled in), newlines as `\r\n`. */
export function buildTextMessage(text: string, format?: TextFormat): Uint8Array {
  return buildMime(
    [
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: OUTGOING_TEXT_CONTENT_TYPE },
      { name: 'X-MMS-IM-Format', value: formatImFormat(format) },
    ],
    text.replace(/\r?\n/g, '\r\n'),
  );
}

/** The typing notification (send with ack mode U); its body is a bare CRLF. */
export function buildTypingMessage(user: string): Uint8Array {
  return buildMime(
    [
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: 'text/x-msmsgscontrol' },
      { name: 'TypingUser', value: user },
    ],
    '\r\n',
  );
}

export function buildDatacastMessage(id: number, data?: string): Uint8Array {
  if (!Number.isInteger(id) || id < 0 || (data !== undefined && /[\r\n]/.test(data))) {
    throw new ProtocolError('protocol.bad-argument', 'A datacast needs a whole-number ID and single-line data.');
  }
  const body = `ID: ${id}\r\n${data === undefined ? '' : `Data: ${data}\r\n`}\r\n`;
  return buildMime(
    [
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: 'text/x-msnmsgr-datacast' },
    ],
    body,
  );
}

/** A nudge (datacast ID 1; send with ack mode N). */
export function buildNudgeMessage(): Uint8Array {
  return buildDatacastMessage(DATACAST_NUDGE);
}

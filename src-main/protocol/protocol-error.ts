// Exports: ProtocolError (the typed error of the wire protocol core) and ProtocolErrorCode (its stable codes).
// Every failure the protocol core reports is one of these; callers branch on `code`, never on the message.
import { ButterflyError } from '../../src-shared/errors';

export type ProtocolErrorCode =
  /** A command line longer than `maxLineBytes` (or a partial one that already is). */
  | 'protocol.line-too-long'
  /** A payload command whose last field is not a plain decimal byte count. */
  | 'protocol.bad-length'
  /** A payload length above `maxPayloadBytes`. */
  | 'protocol.payload-too-large'
  /** The stream ended inside a command line or a payload. */
  | 'protocol.truncated'
  /** Input after a fatal error, after `end()`, or after the frame callback threw. */
  | 'protocol.parser-closed'
  /** An outgoing command that cannot be put on the wire as asked (a space or CR/LF inside an argument, ...). */
  | 'protocol.bad-argument';

export interface ProtocolErrorDetails {
  /** The command of the frame at fault, when its first bytes name one. */
  command?: string;
  /** Byte offset in the stream where the frame at fault starts (0 = the first byte ever pushed). */
  offset?: number;
}

export class ProtocolError extends ButterflyError {
  override readonly code: ProtocolErrorCode;
  readonly command: string | undefined;
  readonly offset: number | undefined;

  constructor(code: ProtocolErrorCode, message: string, details: ProtocolErrorDetails = {}, options: { cause?: unknown } = {}) {
    // A garbled stream is a property of one connection: a fresh connection may well work, so it is worth retrying.
    super(code, message, { retryable: code !== 'protocol.bad-argument', cause: options.cause });
    this.code = code;
    this.command = details.command;
    this.offset = details.offset;
  }
}

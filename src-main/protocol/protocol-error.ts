// Exports: ProtocolError (the typed error of the wire protocol core) and ProtocolErrorCode (its stable codes).
// Every failure the protocol core reports is one of these; callers branch on `code`, never on the message.
import { ButterflyError, type ProtocolErrorCode } from '../../src-shared/errors';

/** Its codes are listed with every other code in src-shared/errors.ts. */
export type { ProtocolErrorCode };

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

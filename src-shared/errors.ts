// One error family for the whole app. Code branches on `code`, never on message text; `message` is for people.
// Errors cross IPC as plain data (ErrorInfo), so the renderer can show them without knowing the classes.
// Every code is listed here, by layer, in one union (ErrorCode): a code that is not is a type error, so a typo in a
// code, or in a check of one, cannot compile.

/** The pure MSNP core (src-main/protocol). */
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

/** Connections: direct, through a proxy, over the HTTP gateway, and HTTP requests (src-main/transport). */
export type TransportErrorCode =
  | 'transport.host-not-found'
  | 'transport.proxy-unreachable'
  | 'transport.proxy-auth-required'
  | 'transport.proxy-auth-failed'
  | 'transport.proxy-refused'
  | 'transport.proxy-protocol'
  | 'transport.proxy-closed'
  | 'transport.target-unreachable'
  | 'transport.unsupported'
  | 'transport.timeout'
  | 'transport.aborted'
  | 'transport.connection-lost'
  | 'transport.gateway-failed'
  | 'transport.unexpected-reply'
  | 'transport.http-failed'
  | 'transport.response-too-large';

/** Sign-in refused (src-main/session): never fixed by waiting, except the Passport server's own trouble. */
export type AuthErrorCode = 'auth.wrong-password' | 'auth.unknown-account' | 'auth.passport-failed' | 'auth.passport-unreadable' | 'auth.passport-redirect-refused';

/** The notification session broke down or ended (src-main/session, and the CLI's view of an ended session). */
export type SessionErrorCode =
  | 'session.timeout'
  | 'session.protocol-mismatch'
  | 'session.redirect-loop'
  | 'session.unexpected-reply'
  | 'session.garbled-stream'
  | 'session.list-too-large'
  | 'session.connection-closed'
  | 'session.ping-timeout'
  | 'session.not-connected'
  | 'session.signed-in-elsewhere'
  | 'session.server-shutdown'
  | 'session.cancelled'
  | 'session.signed-out'
  /** Something the negotiated protocol version does not have (a personal message below MSNP11), or that Butterfly never
   *  sends because the real servers close the connection on it (`REM … RL`). Refused before anything is sent. */
  | 'session.not-supported';

/** A numeric MSNP error reply, `server.<number>` (`server.911`); the numbers' meanings are src-main/protocol/errors.ts. */
export type ServerErrorCode = `server.${number}`;

/** A conversation call refused up front (src-main/session). */
export type ConversationErrorCode =
  | 'conversation.unknown'
  | 'conversation.unknown-message'
  | 'conversation.not-retryable'
  | 'conversation.empty-text'
  | 'conversation.text-too-long'
  | 'conversation.bad-format'
  | 'conversation.bad-address'
  | 'conversation.is-you'
  | 'conversation.nudge-too-soon'
  | 'conversation.no-answer'
  | 'conversation.already-there'
  | 'conversation.not-signed-in';

/** A switchboard connection that misbehaved or would not open (src-main/session). */
export type SwitchboardErrorCode = 'switchboard.garbled' | 'switchboard.unexpected-reply' | 'switchboard.appear-offline' | 'switchboard.not-ready';

/** The message history (src-main/storage/history). */
export type HistoryErrorCode =
  /** A limit, cursor, search, account id or record the store cannot take. */
  | 'history.bad-request'
  | 'history.unknown-conversation'
  | 'history.unknown-message'
  /** Saving failed (disk full, I/O error, a damaged database); nothing of that write was kept. */
  | 'history.write-failed'
  /** The database could not be read. */
  | 'history.unreadable'
  /** No history is stored for that account. */
  | 'history.not-found'
  | 'history.closed'
  /** A store opened for reading only (the CLI) was asked to write. */
  | 'history.read-only';

/** The IPC boundary: the contract's checks in main, and the browser-mode bridge as the renderer sees it. */
export type IpcErrorCode = 'ipc.unknown-channel' | 'ipc.invalid-payload' | 'ipc.untrusted-sender' | 'ipc.bridge-unavailable' | 'ipc.bridge-closed' | 'ipc.bridge-no-session';

/** Every error code Butterfly uses. `internal`: something that was not a ButterflyError (a bug). */
export type ErrorCode =
  | ProtocolErrorCode
  | TransportErrorCode
  | AuthErrorCode
  | SessionErrorCode
  | ServerErrorCode
  | ConversationErrorCode
  | SwitchboardErrorCode
  | HistoryErrorCode
  | IpcErrorCode
  | 'settings.invalid'
  /** settings.json could not be read and the person has not yet chosen what to do (src-main/settings). */
  | 'settings.unreadable'
  /** A call named an account this run does not know (src-main/service). */
  | 'service.unknown-account'
  | 'cli.usage'
  | 'internal';

export interface ErrorInfo {
  /** Stable, machine-readable: e.g. 'protocol.line-too-long', 'transport.proxy-auth-failed', 'auth.wrong-password'. */
  code: ErrorCode;
  /** Plain language, safe to show to a person; never contains a password, ticket or proxy secret. */
  message: string;
  /** Whether trying again later might succeed (network trouble) or not (wrong password). */
  retryable: boolean;
  /** For a refused request ('ipc.invalid-payload'): what is wrong, field by field (`path` as `a.b`, '' for the whole). */
  fields?: FieldProblem[];
}

export interface FieldProblem {
  path: string;
  message: string;
}

export class ButterflyError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly fields?: FieldProblem[];

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; cause?: unknown; fields?: FieldProblem[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.fields) this.fields = options.fields;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.fields ? { fields: this.fields } : {}) };
  }

  /** The error again, from its plain-data form (what an IPC adapter received). */
  static fromInfo(info: ErrorInfo): ButterflyError {
    return new ButterflyError(info.code, info.message, { retryable: info.retryable, fields: info.fields });
  }
}

/** Turns anything thrown into plain data fit for IPC and logs. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ButterflyError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, retryable: false };
}

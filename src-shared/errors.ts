// One error family for the whole app. Code branches on `code`, never on message text; `message` is for people.
// Errors cross IPC as plain data (ErrorInfo), so the renderer can show them without knowing the classes.

export interface ErrorInfo {
  /** Stable, machine-readable: e.g. 'protocol.line-too-long', 'transport.proxy-auth-failed', 'auth.wrong-password'. */
  code: string;
  /** Plain language, safe to show to a person; never contains a password, ticket or proxy secret. */
  message: string;
  /** Whether trying again later might succeed (network trouble) or not (wrong password). */
  retryable: boolean;
}

export class ButterflyError extends Error implements ErrorInfo {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

/** Turns anything thrown into plain data fit for IPC and logs. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ButterflyError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, retryable: false };
}

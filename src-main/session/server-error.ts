// Numeric error replies (`217 12`) as typed errors. The meaning comes from the protocol core's code table; the code
// is `server.<number>` so callers can branch on it (sign-in turns 911 into a wrong password, for example).
import { ButterflyError } from '../../src-shared/errors';
import { describeErrorCode, errorCodeKind } from '../protocol/errors';

export class ServerError extends ButterflyError {
  constructor(
    readonly serverCode: number,
    command: string,
  ) {
    const meaning = describeErrorCode(serverCode);
    // The server's own trouble (5xx/6xx, the 91x "busy" family) is worth retrying later; anything else is not.
    const retryable = errorCodeKind(serverCode) === 'retry-later';
    super(`server.${serverCode}`, `The server refused ${command} (error ${serverCode}: ${meaning}).`, { retryable });
  }
}

export const serverErrorFor = (code: number, command: string): ServerError => new ServerError(code, command);

export const isServerError = (error: unknown, code: number): boolean => error instanceof ServerError && error.serverCode === code;

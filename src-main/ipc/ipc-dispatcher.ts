// The transport-neutral half of IPC in main: checks the channel and the payload against the contract's schema — the
// one place a request is validated — then calls the handler with the checked value and who called. The Electron
// adapter (ipcMain) and the browser-mode bridge (WebSocket) both hand raw, untrusted input to this.
import * as v from 'valibot';
import {
  callSchemas,
  isCallChannel,
  isSendChannel,
  sendSchemas,
  type CallChannel,
  type CallRequest,
  type CallResponse,
  type IpcSends,
  type SendChannel,
} from '../../src-shared/ipc-contract';
import { ButterflyError, type FieldProblem } from '../../src-shared/errors';

/** Who made a call: a window (Electron: by its webContents id) or a page connection (browser mode). */
export interface Caller {
  /** Unique among the adapter's windows or connections for as long as the process runs. */
  readonly id: string;
}

export type CallHandlers = { [C in CallChannel]: (request: CallRequest<C>, caller: Caller) => Promise<CallResponse<C>> };
export type SendHandlers = { [C in SendChannel]: (message: IpcSends[C]) => void };

export interface IpcDispatcher {
  /** Rejects with a ButterflyError ('ipc.unknown-channel' / 'ipc.invalid-payload', with `fields`) for anything the contract does not allow. */
  call(channel: unknown, request: unknown, caller: Caller): Promise<unknown>;
  /** Silently drops what the contract does not allow: fire-and-forget has nobody to answer. Returns whether it was accepted. */
  send(channel: unknown, message: unknown): boolean;
}

/** At most this many field problems are reported for one request (a hostile page could send thousands). */
const MAX_REPORTED_PROBLEMS = 8;

export function createIpcDispatcher(calls: CallHandlers, sends: SendHandlers): IpcDispatcher {
  return {
    async call(channel, request, caller) {
      if (!isCallChannel(channel)) throw new ButterflyError('ipc.unknown-channel', `Unknown IPC channel: ${String(channel).slice(0, 64)}`);
      const checked = v.safeParse(callSchemas[channel], request);
      if (!checked.success) throw invalidPayload(channel, checked.issues);
      return (calls[channel] as (r: unknown, c: Caller) => Promise<unknown>)(checked.output, caller);
    },
    send(channel, message) {
      if (!isSendChannel(channel)) return false;
      const checked = v.safeParse(sendSchemas[channel], message);
      if (!checked.success) return false;
      (sends[channel] as (m: unknown) => void)(checked.output);
      return true;
    },
  };
}

function invalidPayload(channel: CallChannel, issues: readonly v.BaseIssue<unknown>[]): ButterflyError {
  const fields: FieldProblem[] = issues.slice(0, MAX_REPORTED_PROBLEMS).map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }));
  const described = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
  return new ButterflyError('ipc.invalid-payload', `Invalid request for ${channel}: ${described}`, { fields });
}

// The transport-neutral half of IPC in main: validates channel and payload, then calls the handler.
// The Electron adapter (ipcMain) and the browser-mode bridge (WebSocket) both hand raw, untrusted input to this.
import {
  callRequestValidators,
  isCallChannel,
  isSendChannel,
  sendValidators,
  type CallChannel,
  type IpcCalls,
  type IpcSends,
  type SendChannel,
} from '../../src-shared/ipc-contract';
import { ButterflyError } from '../../src-shared/errors';

export type CallHandlers = { [C in CallChannel]: (request: IpcCalls[C]['request']) => Promise<IpcCalls[C]['response']> };
export type SendHandlers = { [C in SendChannel]: (message: IpcSends[C]) => void };

export interface IpcDispatcher {
  /** Rejects with a ButterflyError ('ipc.unknown-channel' / 'ipc.invalid-payload') for anything the contract does not allow. */
  call(channel: unknown, request: unknown): Promise<unknown>;
  /** Silently drops what the contract does not allow: fire-and-forget has nobody to answer. Returns whether it was accepted. */
  send(channel: unknown, message: unknown): boolean;
}

export function createIpcDispatcher(calls: CallHandlers, sends: SendHandlers): IpcDispatcher {
  return {
    async call(channel, request) {
      if (!isCallChannel(channel)) throw new ButterflyError('ipc.unknown-channel', `Unknown IPC channel: ${String(channel).slice(0, 64)}`);
      if (!callRequestValidators[channel](request)) throw new ButterflyError('ipc.invalid-payload', `Invalid request for ${channel}`);
      return (calls[channel] as (r: unknown) => Promise<unknown>)(request);
    },
    send(channel, message) {
      if (!isSendChannel(channel) || !sendValidators[channel](message)) return false;
      (sends[channel] as (m: unknown) => void)(message);
      return true;
    },
  };
}

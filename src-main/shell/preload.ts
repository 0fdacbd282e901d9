// The preload exposes exactly one allow-listed object, derived from the IPC contract. Sandboxed: it imports only electron.
import { contextBridge, ipcRenderer } from 'electron';
import { isCallChannel, isEventChannel, isSendChannel, type ButterflyApi, type IpcResult } from '../../src-shared/ipc-contract';
import { ButterflyError } from '../../src-shared/errors';

/** Exported only so a type test can hold it against the contract; the page sees it as `window.butterfly`. */
export const api: ButterflyApi = {
  call: (channel, request) => {
    if (!isCallChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, request).then((result: IpcResult) => {
      if (result.ok) return result.value as never;
      throw ButterflyError.fromInfo(result.error);
    });
  },
  send: (channel, message) => {
    if (isSendChannel(channel)) ipcRenderer.send(channel, message);
  },
  on: (channel, listener) => {
    if (!isEventChannel(channel)) throw new Error(`unknown channel ${String(channel)}`);
    const wrapped = (_event: unknown, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld('butterfly', api);

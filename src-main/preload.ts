// The preload exposes exactly one allow-listed object, derived from the IPC contract. Sandboxed: it imports only electron.
import { contextBridge, ipcRenderer } from 'electron';
import { isCallChannel, isSendChannel, eventChannels, type ButterflyApi, type EventChannel } from '../src-shared/ipc-contract';

const api: ButterflyApi = {
  call: (channel, request) => {
    if (!isCallChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(channel, request);
  },
  send: (channel, message) => {
    if (isSendChannel(channel)) ipcRenderer.send(channel, message);
  },
  on: (channel, listener) => {
    if (!eventChannels.includes(channel as EventChannel)) throw new Error(`unknown channel ${String(channel)}`);
    const wrapped = (_event: unknown, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld('butterfly', api);

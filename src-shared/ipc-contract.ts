// The one IPC contract between main and renderer. The Electron preload and the browser-mode bridge are two adapters of it;
// nobody types a channel string anywhere else. Payloads are JSON-safe plain data.
import type { ErrorInfo } from './errors';
import { isSettingsUpdate, type ConnectionCheckResult, type SaveSettingsResult, type SettingsUpdate, type SettingsView } from './connection-settings';
import { validateCommand, type MessengerCommand, type MessengerEvent, type MessengerSnapshot } from './messenger-types';

export interface AppInfo {
  name: 'Butterfly';
  version: string;
  /** 'electron' inside the desktop app, 'browser' when the renderer talks to main through the loopback bridge. */
  shell: 'electron' | 'browser';
  platform: string;
}

/** Renderer → main requests that answer. */
export interface IpcCalls {
  'app:get-info': { request: null; response: AppInfo };
  /** Runs one messenger command (names in it are plain text; main encodes them). Rejects with the command's error. */
  'messenger:execute': { request: MessengerCommand; response: null };
  'messenger:get-snapshot': { request: null; response: MessengerSnapshot };
  /** The saved connection settings, without secrets. */
  'settings:get': { request: null; response: SettingsView };
  /** Validates and saves; used from the next sign-in (or reconnect) on. */
  'settings:save': { request: SettingsUpdate; response: SaveSettingsResult };
  /** Walks the route of settings not saved yet, step by step. */
  'settings:test': { request: SettingsUpdate; response: ConnectionCheckResult };
  /** After the saved settings could not be read (SettingsView.unreadable): go on with the defaults. */
  'settings:use-defaults': { request: null; response: SettingsView };
}

/** Renderer → main fire-and-forget messages. */
export interface IpcSends {
  'app:log': { level: 'info' | 'warn' | 'error'; message: string };
}

/** Main → renderer events. */
export interface IpcEvents {
  'app:did-change-info': AppInfo;
  /** Every messenger event, unchanged (names as they came off the wire). */
  'messenger:event': MessengerEvent;
}

export type CallChannel = keyof IpcCalls;
export type SendChannel = keyof IpcSends;
export type EventChannel = keyof IpcEvents;

// Runtime lists, typed so that adding a channel to a map without listing it here fails to compile.
const keysOf = <T>(record: { [K in keyof T]: true }): (keyof T)[] => Object.keys(record) as (keyof T)[];
export const callChannels = keysOf<IpcCalls>({
  'app:get-info': true,
  'messenger:execute': true,
  'messenger:get-snapshot': true,
  'settings:get': true,
  'settings:save': true,
  'settings:test': true,
  'settings:use-defaults': true,
});
export const sendChannels = keysOf<IpcSends>({ 'app:log': true });
export const eventChannels = keysOf<IpcEvents>({ 'app:did-change-info': true, 'messenger:event': true });

/** What the preload exposes as `window.butterfly`, and what the browser bridge implements. */
export interface ButterflyApi {
  call<C extends CallChannel>(channel: C, request: IpcCalls[C]['request']): Promise<IpcCalls[C]['response']>;
  send<C extends SendChannel>(channel: C, message: IpcSends[C]): void;
  /** Returns a function that stops listening. */
  on<C extends EventChannel>(channel: C, listener: (event: IpcEvents[C]) => void): () => void;
}

/** How a call's outcome crosses Electron IPC: errors as data, so their codes survive. */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: ErrorInfo };

/** Runtime validation of what arrives at main: the renderer is not trusted. */
export type Validator<T> = (value: unknown) => value is T;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const callRequestValidators: { [C in CallChannel]: Validator<IpcCalls[C]['request']> } = {
  'app:get-info': (v): v is null => v === null,
  'messenger:execute': (v): v is MessengerCommand => validateCommand(v) === undefined,
  'messenger:get-snapshot': (v): v is null => v === null,
  'settings:get': (v): v is null => v === null,
  'settings:save': isSettingsUpdate,
  'settings:test': isSettingsUpdate,
  'settings:use-defaults': (v): v is null => v === null,
};

export const sendValidators: { [C in SendChannel]: Validator<IpcSends[C]> } = {
  'app:log': (v): v is IpcSends['app:log'] =>
    isRecord(v) &&
    (v.level === 'info' || v.level === 'warn' || v.level === 'error') &&
    typeof v.message === 'string' &&
    v.message.length <= 4096,
};

export const isCallChannel = (c: unknown): c is CallChannel => callChannels.includes(c as CallChannel);
export const isSendChannel = (c: unknown): c is SendChannel => sendChannels.includes(c as SendChannel);

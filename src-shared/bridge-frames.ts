// Frames of the browser-mode bridge: the IPC contract's calls, sends and events as JSON over one WebSocket.
// Shared by the bridge server in main and the bridge client in the renderer.
import type { ErrorInfo } from './errors';

export type BridgeClientFrame =
  | { t: 'call'; id: number; channel: string; payload: unknown }
  | { t: 'send'; channel: string; payload: unknown };

export type BridgeServerFrame =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: ErrorInfo }
  | { t: 'event'; channel: string; payload: unknown };

/** Largest frame the bridge accepts from the page; IPC payloads are small. */
export const MAX_BRIDGE_FRAME_BYTES = 256 * 1024;

// Frames of the browser-mode bridge: the IPC contract's calls, sends and events as JSON over one WebSocket, and the
// session exchange before it. Shared by the bridge server in main and the bridge client in the renderer.
import * as v from 'valibot';
import type { ErrorInfo } from './errors';

const channel = v.pipe(v.string(), v.maxLength(64));

/**
 * What a page may send. Strict: an unknown key (`__proto__` included) or a wrong type is a broken page, and closes its
 * socket. The payload stays `unknown` here: the IPC contract validates it per channel and answers a typed error.
 */
export const bridgeClientFrameSchema = v.variant('t', [
  v.strictObject({ t: v.literal('call'), id: v.pipe(v.number(), v.safeInteger(), v.minValue(0)), channel, payload: v.optional(v.unknown()) }),
  v.strictObject({ t: v.literal('send'), channel, payload: v.optional(v.unknown()) }),
]);

export type BridgeClientFrame = v.InferOutput<typeof bridgeClientFrameSchema>;

export type BridgeServerFrame =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: ErrorInfo }
  | { t: 'event'; channel: string; payload: unknown };

/**
 * Largest frame the bridge accepts from the page. The biggest valid request (a settings update: six strings of at
 * most 2,048 characters) stays under 64 KiB as JSON even with every character escaped; 256 KiB leaves room for
 * growth without letting 32 pages pin more than 8 MiB.
 */
export const MAX_BRIDGE_FRAME_BYTES = 256 * 1024;

/** The page posts `{ token }` (or `{}` after a reload) here and gets the session cookie, or 401. */
export const BRIDGE_SESSION_PATH = '/session';
/** The WebSocket's path; the upgrade needs the session cookie. */
export const BRIDGE_SOCKET_PATH = '/bridge';

// Finds the way to main: the Electron preload's `window.butterfly`, or browser mode's bridge, whose token arrives in the
// URL fragment and is removed from the address bar at once. Null when the page was opened without either.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import { createBridgeClient } from './bridge-client';

declare global {
  interface Window {
    butterfly?: ButterflyApi;
  }
}

export function connectToMain(win: Window = window): ButterflyApi | null {
  if (win.butterfly) return win.butterfly;
  const token = new URLSearchParams(win.location.hash.slice(1)).get('token');
  if (!token) return null;
  win.history.replaceState(null, '', win.location.pathname + win.location.search);
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createBridgeClient(`${scheme}//${win.location.host}/bridge?token=${encodeURIComponent(token)}`);
}

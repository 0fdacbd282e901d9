// Finds the way to main: the Electron preload's `window.butterfly`, or browser mode's bridge on the origin that served
// the page. The printed address carries a one-time token in its fragment; it is removed from the address bar at once
// and exchanged for the session (a reload or a second tab has no token and uses the session cookie). Null when the
// page was opened from a file, where neither exists.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import { createBridgeClient } from './bridge-client';

declare global {
  interface Window {
    butterfly?: ButterflyApi;
  }
}

const tokenIn = (hash: string) => new URLSearchParams(hash.slice(1)).get('token') ?? undefined;

export function connectToMain(win: Window = window, onDisconnect?: () => void): ButterflyApi | null {
  if (win.butterfly) return win.butterfly;
  if (win.location.protocol !== 'http:' && win.location.protocol !== 'https:') return null;
  const token = tokenIn(win.location.hash);
  if (token !== undefined) win.history.replaceState(null, '', win.location.pathname + win.location.search);
  // A new printed address pasted into this tab (after a restart) differs only in its fragment, which does not load
  // the page again: load it, so that its token is exchanged.
  win.addEventListener('hashchange', () => tokenIn(win.location.hash) !== undefined && win.location.reload());
  return createBridgeClient(win.location, token, onDisconnect);
}

// Browser mode's entry: main's service behind the loopback bridge, for machines where the Electron binary is missing.
// Prints the one URL (with its token) to open; the same renderer build as the desktop app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAppHandlers } from './ipc/app-handlers';
import { createIpcDispatcher } from './ipc/ipc-dispatcher';
import { startBrowserBridge, type BrowserBridge } from './ipc/browser-bridge';

export interface BrowserModeOptions {
  rendererDir: string;
  port?: number;
  token?: string;
  log?: (line: string) => void;
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserBridge> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
  const { calls, sends } = createAppHandlers({ info: { name: 'Butterfly', version, shell: 'browser', platform: process.platform }, log });
  return startBrowserBridge({ dispatcher: createIpcDispatcher(calls, sends), rendererDir: options.rendererDir, port: options.port, token: options.token });
}

// Browser mode in a process of its own, for tests that must see whether hostile input kills it: startBrowserMode on a
// throwaway renderer and data directory; prints its address on stdout, then serves until SIGTERM.
//   BRIDGE_TOKEN  the one-time token     BRIDGE_PORT  a fixed port (a restart on the same port)
//   BRIDGE_LIMITS JSON of BridgeLimits   BUTTERFLY_DATA_DIR  the data directory (the caller removes it)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONNECTION_SETTINGS } from '../../../src-shared/connection-settings';
import { startBrowserMode } from '../../shell/browser-main';

const rendererDir = mkdtempSync(join(tmpdir(), 'bf-bridge-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Butterfly</title>');
const bridge = await startBrowserMode({
  rendererDir,
  settings: DEFAULT_CONNECTION_SETTINGS,
  token: process.env.BRIDGE_TOKEN,
  port: Number(process.env.BRIDGE_PORT ?? 0),
  bridgeLimits: JSON.parse(process.env.BRIDGE_LIMITS ?? '{}') as object,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${bridge.url}\n`);
process.once('SIGTERM', () => {
  void bridge.close().then(() => {
    rmSync(rendererDir, { recursive: true, force: true });
    process.exit(0);
  });
});

// Runs src-main/ipc/testing/bridge-child.ts as a real process (in its own process group, stopped by its id), so a
// test can tell "the request was refused" from "the request killed Butterfly".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGroup, type GroupProcess } from '../../../e2e/proxies/process-group';
import type { BridgeLimits } from '../browser-bridge';

const root = join(import.meta.dirname, '..', '..', '..');

export interface BridgeProcess {
  readonly port: number;
  readonly token: string;
  /** Null while it runs; its exit code once it has died. */
  exitCode(): number | null;
  /** What it printed (its log lines and, if it died, why). */
  output(): string;
  stop(): Promise<void>;
}

export async function startBridgeProcess(options: { token: string; port?: number; limits?: Partial<BridgeLimits> }): Promise<BridgeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bf-bridge-data-'));
  const child: GroupProcess = spawnGroup(process.execPath, ['--import', 'tsx', join(root, 'src-main', 'ipc', 'testing', 'bridge-child.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BUTTERFLY_DATA_DIR: dataDir,
      BRIDGE_TOKEN: options.token,
      BRIDGE_PORT: String(options.port ?? 0),
      BRIDGE_LIMITS: JSON.stringify(options.limits ?? {}),
    },
  });
  let exitCode: number | null = null;
  void child.exited.then((code) => (exitCode = code ?? -1));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bridge process did not start:\n${child.output()}`)), 30_000);
    const onData = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(child.output());
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.child.stdout?.on('data', onData);
    void child.exited.then(() => reject(new Error(`the bridge process exited at start:\n${child.output()}`)));
  });
  return {
    port: Number(new URL(url).port),
    token: options.token,
    exitCode: () => exitCode,
    output: () => child.output(),
    async stop() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

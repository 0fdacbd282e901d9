// What main answers on each IPC channel. Both shells (Electron and browser mode) build their adapters from this.
import type { AppInfo } from '../../src-shared/ipc-contract';
import type { CallHandlers, SendHandlers } from './ipc-dispatcher';

export interface AppHandlerDeps {
  info: AppInfo;
  log(line: string): void;
}

export function createAppHandlers(deps: AppHandlerDeps): { calls: CallHandlers; sends: SendHandlers } {
  return {
    calls: { 'app:get-info': async () => deps.info },
    // Renderer log lines are size-capped by the contract's validator and marked as coming from the page.
    sends: { 'app:log': ({ level, message }) => deps.log(`[renderer:${level}] ${message}`) },
  };
}

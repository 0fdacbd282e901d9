// Whether the renderer reached main, and what main said about itself.
import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../src-shared/ipc-contract';

export type MainLink = 'connecting' | 'connected' | 'unavailable';
/** Why main is unavailable: it is not running, or (browser mode) this page has no session with it. */
export type MainLinkProblem = 'not-running' | 'no-session';

export interface AppSlice {
  mainLink: MainLink;
  mainLinkProblem: MainLinkProblem;
  appInfo: AppInfo | null;
  setMainLink(link: MainLink, problem?: MainLinkProblem): void;
  setAppInfo(info: AppInfo): void;
}

export const createAppSlice: StateCreator<AppSlice, [], [], AppSlice> = (set) => ({
  mainLink: 'connecting',
  mainLinkProblem: 'not-running',
  appInfo: null,
  setMainLink: (mainLink, mainLinkProblem = 'not-running') => set({ mainLink, mainLinkProblem }),
  setAppInfo: (appInfo) => set({ appInfo, mainLink: 'connected' }),
});

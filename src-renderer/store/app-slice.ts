// Whether the renderer reached main, and what main said about itself.
import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../src-shared/ipc-contract';

export type MainLink = 'connecting' | 'connected' | 'unavailable';

export interface AppSlice {
  mainLink: MainLink;
  appInfo: AppInfo | null;
  setMainLink(link: MainLink): void;
  setAppInfo(info: AppInfo): void;
}

export const createAppSlice: StateCreator<AppSlice, [], [], AppSlice> = (set) => ({
  mainLink: 'connecting',
  appInfo: null,
  setMainLink: (mainLink) => set({ mainLink }),
  setAppInfo: (appInfo) => set({ appInfo, mainLink: 'connected' }),
});

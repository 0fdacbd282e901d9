// The one module that turns main's answers and events into store actions. Slices never call IPC themselves.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { ButterflyState } from '../store/store';

export function bindMainToStore(api: ButterflyApi | null, store: { getState(): ButterflyState }): () => void {
  const state = store.getState();
  if (!api) {
    state.setMainLink('unavailable');
    return () => undefined;
  }
  api.call('app:get-info', null).then(
    (info) => store.getState().setAppInfo(info),
    () => store.getState().setMainLink('unavailable'),
  );
  return api.on('app:did-change-info', (info) => store.getState().setAppInfo(info));
}

// The one module that turns main's answers and events into store actions. Slices never call IPC themselves.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { ButterflyState } from '../store/store';

export function bindMainToStore(api: ButterflyApi | null, store: { getState(): ButterflyState }): () => void {
  const state = store.getState();
  if (!api) {
    state.setMainLink('unavailable');
    return () => undefined;
  }
  // Listen first, then ask for the snapshot: an event that races the snapshot is newer and wins by arriving later.
  const stopInfo = api.on('app:did-change-info', (info) => store.getState().setAppInfo(info));
  const stopEvents = api.on('messenger:event', (event) => store.getState().applyEvent(event));
  api.call('app:get-info', null).then(
    (info) => store.getState().setAppInfo(info),
    () => store.getState().setMainLink('unavailable'),
  );
  api.call('messenger:get-snapshot', null).then(
    (snapshot) => store.getState().applySnapshot(snapshot),
    () => store.getState().setMainLink('unavailable'),
  );
  return () => {
    stopInfo();
    stopEvents();
  };
}

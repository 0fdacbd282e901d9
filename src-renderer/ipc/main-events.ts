// The one module that turns main's answers and events into store actions. Slices never call IPC themselves.
import type { ButterflyApi } from '../../src-shared/ipc-contract';
import type { ButterflyState } from '../store/store';
import type { MainLinkProblem } from '../store/app-slice';

/** Browser mode's bridge says when the page has no session (the service restarted, or the page lacks its token). */
const problemOf = (error: unknown): MainLinkProblem => ((error as { code?: unknown })?.code === 'ipc.bridge-no-session' ? 'no-session' : 'not-running');

export function bindMainToStore(api: ButterflyApi | null, store: { getState(): ButterflyState }): () => void {
  const state = store.getState();
  if (!api) {
    state.setMainLink('unavailable');
    return () => undefined;
  }
  // Listen first, then watch the account this window shows (the one main opened it for, or the one used last) and take
  // its snapshot: main starts sending its events at the same moment, so none falls between the two.
  const stopInfo = api.on('app:did-change-info', (info) => store.getState().setAppInfo(info));
  const stopEvents = api.on('messenger:event', (event) => store.getState().applyEvent(event));
  api.call('app:get-info', null).then(
    (info) => store.getState().setAppInfo(info),
    (error: unknown) => store.getState().setMainLink('unavailable', problemOf(error)),
  );
  api.call('accounts:watch', {}).then(
    ({ account }) => store.getState().applySnapshot(account),
    (error: unknown) => store.getState().setMainLink('unavailable', problemOf(error)),
  );
  return () => {
    stopInfo();
    stopEvents();
  };
}

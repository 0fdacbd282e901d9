import { useButterflyStore } from '../store/store';

/** A quiet footer line: which shell we run in, or a plain warning when main cannot be reached. */
export function MainLinkStatus() {
  const link = useButterflyStore((s) => s.mainLink);
  const info = useButterflyStore((s) => s.appInfo);
  if (link === 'unavailable') return <p className="main-link warning" role="alert">Butterfly’s background service is not running, so signing in is not possible.</p>;
  if (!info) return <p className="main-link">Starting…</p>;
  return (
    <p className="main-link">
      {info.name} {info.version} · {info.shell === 'browser' ? 'browser mode' : 'desktop'}
    </p>
  );
}

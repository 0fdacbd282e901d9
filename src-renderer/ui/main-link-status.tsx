import { useButterflyStore } from '../store/store';
import type { MainLinkProblem } from '../store/app-slice';

const unavailableText: Record<MainLinkProblem, string> = {
  'not-running': 'Butterfly’s background service is not running, so signing in is not possible.',
  'no-session':
    'This page has no session with Butterfly’s background service (it was restarted, or the page was opened without the address it printed). Open the address Butterfly printed when it started.',
};

/** A quiet footer line: which shell we run in, or a plain warning when main cannot be reached. */
export function MainLinkStatus() {
  const link = useButterflyStore((s) => s.mainLink);
  const info = useButterflyStore((s) => s.appInfo);
  const problem = useButterflyStore((s) => s.mainLinkProblem);
  if (link === 'unavailable') return <p className="main-link warning" role="alert">{unavailableText[problem]}</p>;
  if (!info) return <p className="main-link">Starting…</p>;
  return (
    <p className="main-link">
      {info.name} {info.version} · {info.shell === 'browser' ? 'browser mode' : 'desktop'}
    </p>
  );
}

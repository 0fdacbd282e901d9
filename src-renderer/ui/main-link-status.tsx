import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../store/store';

/** A quiet footer line: which shell we run in, or a plain warning when main cannot be reached. */
export function MainLinkStatus() {
  const { t } = useTranslation();
  const link = useButterflyStore((s) => s.mainLink);
  const info = useButterflyStore((s) => s.appInfo);
  const problem = useButterflyStore((s) => s.mainLinkProblem);
  if (link === 'unavailable') {
    return (
      <p className="main-link warning" role="alert">
        {problem === 'no-session' ? t('mainLink.noSession') : t('mainLink.notRunning')}
      </p>
    );
  }
  if (!info) return <p className="main-link">{t('mainLink.starting')}</p>;
  return <p className="main-link">{t('mainLink.about', { name: info.name, version: info.version, shell: info.shell === 'browser' ? t('mainLink.browser') : t('mainLink.electron') })}</p>;
}

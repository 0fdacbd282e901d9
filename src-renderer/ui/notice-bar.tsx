// The one notice about a refused action, in the person's words: it goes when dismissed, when the next action
// succeeds (use-act.ts), or after the store's noticeTimeoutMs.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../store/store';
import { ErrorDetail } from './form-error';
import { describeError } from './errors';

export function NoticeBar({ nameOf }: { nameOf: (email: string) => string }) {
  const { t } = useTranslation();
  const notice = useButterflyStore((s) => s.notice);
  const timeout = useButterflyStore((s) => s.noticeTimeoutMs);
  const clearNotice = useButterflyStore((s) => s.clearNotice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => clearNotice(notice.id), timeout);
    return () => clearTimeout(timer);
  }, [notice, timeout, clearNotice]);
  if (!notice) return null;
  const words = describeError(t, notice.error, notice.context, nameOf);
  return (
    <div className="notice" role="alert">
      <p>{words.text}</p>
      {words.detail && <ErrorDetail detail={words.detail} />}
      <button type="button" className="quiet" onClick={() => clearNotice(notice.id)}>
        {t('list.dismiss')}
      </button>
    </div>
  );
}

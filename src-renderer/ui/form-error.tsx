// What went wrong, where it happened (a dialog, a settings tab, a prompt): the words as an alert, and the technical
// detail behind a disclosure when there is one.
import { useTranslation } from 'react-i18next';
import type { ErrorWords } from './errors';

export function FormError({ words }: { words: ErrorWords | string | null | undefined }) {
  if (!words) return null;
  const w = typeof words === 'string' ? { text: words } : words;
  return (
    <div className="form-error" role="alert">
      <p>{w.text}</p>
      {w.detail && <ErrorDetail detail={w.detail} />}
    </div>
  );
}

export function ErrorDetail({ detail }: { detail: string }) {
  const { t } = useTranslation();
  return (
    <details className="error-detail">
      <summary>{t('list.details')}</summary>
      <span>{detail}</span>
    </details>
  );
}

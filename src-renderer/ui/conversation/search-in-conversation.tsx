// The conversation header's search: a button that opens a search of this conversation as a row of the header
// (search-panel.tsx); Escape closes it and gives focus back to the button.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SearchPanel } from './search-panel';

export function SearchInConversation({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <div className={open ? 'history-search open' : 'history-search'}>
      <button ref={button} type="button" className="secondary" aria-expanded={open} aria-label={t('history.searchConversation')} onClick={() => setOpen((v) => !v)}>
        {t('history.search')}
      </button>
      {open && (
        <SearchPanel
          conversationId={conversationId}
          onClose={(chosen) => {
            setOpen(false);
            if (!chosen) button.current?.focus();
          }}
        />
      )}
    </div>
  );
}

// Searching every conversation's history, from the contact list's toolbar: a button and the dialog it opens
// (search-panel.tsx). Choosing a result closes the dialog and shows the message in its conversation.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseRow, Dialog } from '../dialog';
import { SearchPanel } from './search-panel';

function SearchIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M10 10l4 4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

export function SearchHistoryButton({ disabled }: { disabled?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="tool" aria-label={t('history.searchAll')} title={t('history.searchAll')} disabled={disabled} onClick={() => setOpen(true)}>
        <SearchIcon />
      </button>
      {open && (
        <Dialog title={t('history.searchAll')} onClose={() => setOpen(false)} className="search-dialog">
          <SearchPanel
            onClose={(chosen) => {
              setOpen(false);
              // The dialog gives focus back to this button as it closes: a result chosen takes it from there.
              if (chosen) requestAnimationFrame(() => document.querySelector<HTMLElement>('.flow [data-highlight]')?.focus());
            }}
          />
          <CloseRow onClose={() => setOpen(false)} />
        </Dialog>
      )}
    </>
  );
}

// Searching every conversation's history, from the contact list's toolbar: a button and the dialog it opens
// (search-panel.tsx). Choosing a result closes the dialog and shows the message in its conversation.
import { useRef, useState } from 'react';
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

/** The message a chosen result was shown at, given focus (false while it is not drawn: the flow then gives it). */
const focusChosen = (): boolean => {
  const found = document.querySelector<HTMLElement>('.flow [data-highlight]');
  found?.focus();
  return found !== null && document.activeElement === found;
};

export function SearchHistoryButton({ disabled }: { disabled?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const chosen = useRef(false);
  return (
    <>
      <button type="button" className="tool" aria-label={t('history.searchAll')} title={t('history.searchAll')} disabled={disabled} onClick={() => setOpen(true)}>
        <SearchIcon />
      </button>
      {open && (
        // A result chosen: its message takes the focus as the dialog closes, instead of this button.
        <Dialog title={t('history.searchAll')} onClose={() => setOpen(false)} className="search-dialog" takeFocus={() => chosen.current && focusChosen()}>
          <SearchPanel
            onClose={(wasChosen) => {
              chosen.current = wasChosen;
              setOpen(false);
            }}
          />
          <CloseRow onClose={() => setOpen(false)} />
        </Dialog>
      )}
    </>
  );
}

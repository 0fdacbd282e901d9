// A modal dialog on the native <dialog> (showModal: the rest of the page is inert and the dialog is in the top layer):
// it takes focus (the element marked data-autofocus, else its first field or button), keeps Tab inside, closes on
// Escape, and gives focus back to what had it before (unless `takeFocus` placed it), or to `returnFocus` when that is
// gone.
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

export interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** 'alertdialog' for confirmations. */
  role?: 'dialog' | 'alertdialog';
  className?: string;
  /** Where focus goes after closing when the element that had it before is no longer in the page. */
  returnFocus?: () => void;
  /** Run once the dialog has closed, before focus goes back: answers whether it put the focus somewhere itself. */
  takeFocus?: () => boolean;
  /** An id for the element that describes the dialog (a confirmation's question). */
  describedBy?: string;
}

// While a dialog is up the page behind it is not drawn (only the backdrop is): it is inert anyway, and a page that
// shows through makes colour-contrast checkers unable to tell what lies behind the dialog's text.
let openDialogs = 0;
const setModalOpen = (delta: number) => {
  openDialogs += delta;
  document.body.classList.toggle('modal-open', openDialogs > 0);
};

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children, role = 'dialog', className, returnFocus, takeFocus, describedBy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const returnRef = useRef(returnFocus);
  const takeRef = useRef(takeFocus);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
    returnRef.current = returnFocus;
    takeRef.current = takeFocus;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    setModalOpen(1);
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      setModalOpen(-1);
      if (dialog.open) dialog.close();
      // After React has removed the dialog: the element that had focus, if it is still there.
      queueMicrotask(() => {
        if (dialog.isConnected && dialog.open) return; // shown again (React's StrictMode runs effects twice)
        if (takeRef.current?.()) return;
        if (before && before.isConnected && !before.closest('[role="menu"]')) before.focus();
        else returnRef.current?.();
      });
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0] as HTMLElement;
    const last = items[items.length - 1] as HTMLElement;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  // In the body, after the page: the top layer draws it above everything anyway, and tools that work out what lies
  // under a point (axe's contrast check) then see it above the page too.
  return createPortal(
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      role={role}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      // Escape: the dialog closes the way every other close goes, through onClose.
      onCancel={(e) => {
        e.preventDefault();
        onCloseRef.current();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>,
    document.body,
  );
}

/** A dialog's last row when all it needs is Close. */
export function CloseRow({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="buttons">
      <span className="spacer" />
      <button type="button" onClick={onClose}>
        {t('dialog.close')}
      </button>
    </div>
  );
}

// Small line icons for the toolbar, drawn for Butterfly. Decorative: the buttons carry their names.
export function AddPersonIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" className="icon">
      <circle cx="6" cy="5" r="2.6" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M1.5 14c0-2.8 2-4.6 4.5-4.6s4.5 1.8 4.5 4.6" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      <path d="M12.5 4.5v5M10 7h5" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

export function AddGroupIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" className="icon">
      <path d="M1.5 4.2c0-.7.5-1.2 1.2-1.2h3l1.4 1.6h4.7c.7 0 1.2.5 1.2 1.2v1.7" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      <path d="M1.5 4.5v7.3c0 .7.5 1.2 1.2 1.2h5.3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      <path d="M12.5 8.5v5M10 11h5" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

/** The ⋯ of a row's menu button. */
export function MoreIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" className="icon">
      <circle cx="3" cy="8" r="1.6" fill="currentColor" />
      <circle cx="8" cy="8" r="1.6" fill="currentColor" />
      <circle cx="13" cy="8" r="1.6" fill="currentColor" />
    </svg>
  );
}

/** The ▾ of a button that opens a menu. */
export function CaretIcon() {
  return (
    <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" focusable="false" className="icon">
      <path d="M1.5 3.5L5 7l3.5-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** A connection-test step: passed, failed or skipped. */
export function StepIcon({ status }: { status: 'ok' | 'failed' | 'skipped' }) {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false" className={`icon step-icon ${status}`}>
      {status === 'ok' && <path d="M2 6.5l2.5 2.5L10 3" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />}
      {status === 'failed' && <path d="M3 3l6 6M9 3l-6 6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />}
      {status === 'skipped' && <path d="M3 6h6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />}
    </svg>
  );
}

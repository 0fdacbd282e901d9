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

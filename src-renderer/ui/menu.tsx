// A popup menu (status picker, a contact's or a group's actions): placed at a point or under a control and moved so
// that it stays inside the window (and scrolls when it is taller than the window); arrow keys, Home and End move
// between items, Enter or Space chooses, Escape or Tab closes and gives focus back, a click outside closes it.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  id: string;
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** For a choice among several (menuitemradio): whether it is the current one. */
  checked?: boolean;
  icon?: ReactNode;
}
export type MenuEntry = MenuItem | 'separator';

/** A point (a right-click) or a control's box (the menu opens under it). */
export type MenuAnchor = { x: number; y: number } | { rect: DOMRect };

export interface MenuProps {
  label: string;
  anchor: MenuAnchor;
  items: MenuEntry[];
  onClose: () => void;
  /** Puts focus back where the menu was opened from (after Escape, Tab, or a choice). */
  returnFocus: () => void;
}

const MARGIN = 4;

export function Menu({ label, anchor, items, onClose, returnFocus }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number; maxHeight: number } | null>(null);
  const radio = items.some((i) => i !== 'separator' && i.checked !== undefined);

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const { innerWidth: vw, innerHeight: vh } = window;
    const maxHeight = vh - 2 * MARGIN;
    const width = menu.offsetWidth;
    const height = Math.min(menu.scrollHeight, maxHeight);
    let left: number;
    let top: number;
    if ('rect' in anchor) {
      left = anchor.rect.left;
      top = anchor.rect.bottom;
      if (left + width > vw - MARGIN) left = anchor.rect.right - width;
      if (top + height > vh - MARGIN) top = anchor.rect.top - height;
    } else {
      left = anchor.x;
      top = anchor.y;
      if (left + width > vw - MARGIN) left = anchor.x - width;
      if (top + height > vh - MARGIN) top = anchor.y - height;
    }
    left = Math.max(MARGIN, Math.min(left, vw - MARGIN - width));
    top = Math.max(MARGIN, Math.min(top, vh - MARGIN - height));
    setPosition({ left, top, maxHeight });
  }, [anchor]);

  const enabled = () => [...(ref.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ?? [])];

  useEffect(() => {
    if (!position) return;
    const all = enabled();
    (all.find((el) => el.getAttribute('aria-checked') === 'true') ?? all[0])?.focus();
  }, [position !== null]);

  useEffect(() => {
    const outside = (e: Event) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const resized = () => onClose();
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('scroll', outside, true);
    window.addEventListener('resize', resized);
    window.addEventListener('blur', resized);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('scroll', outside, true);
      window.removeEventListener('resize', resized);
      window.removeEventListener('blur', resized);
    };
  }, [onClose]);

  const choose = (item: MenuItem) => {
    if (item.disabled) return;
    onClose();
    returnFocus();
    item.onSelect();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const all = enabled();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => all[(to + all.length) % all.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        move(at + 1);
        break;
      case 'ArrowUp':
        move(at - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(all.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        onClose();
        returnFocus();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return createPortal(
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="menu"
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
      style={position ? { left: position.left, top: position.top, maxHeight: position.maxHeight } : { left: 0, top: 0, visibility: 'hidden' }}
    >
      {items.map((item, i) =>
        item === 'separator' ? (
          <div key={`sep-${i}`} role="separator" className="menu-separator" />
        ) : (
          <div
            key={item.id}
            role={radio ? 'menuitemradio' : 'menuitem'}
            aria-checked={radio ? item.checked === true : undefined}
            aria-disabled={item.disabled || undefined}
            tabIndex={-1}
            className="menu-item"
            onClick={() => choose(item)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                e.stopPropagation();
                choose(item);
              }
            }}
          >
            {item.icon !== undefined && <span className="menu-icon">{item.icon}</span>}
            <span>{item.label}</span>
          </div>
        ),
      )}
    </div>,
    document.body,
  );
}

/** Which menu is open and where: the state a component keeps for its one menu. */
export interface OpenMenu<T> {
  target: T;
  anchor: MenuAnchor;
}

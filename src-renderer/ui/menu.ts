// The small action menus are native <details> elements: keyboard and screen-reader friendly with no script. A
// chosen action closes its menu, as menus do.
export function closeMenu(event: { currentTarget: Element }): void {
  event.currentTarget.closest('details')?.removeAttribute('open');
}

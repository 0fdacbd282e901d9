// One contact in a group: presence, decoded nickname, status, and its actions (block or unblock, remove, move to
// another group). Actions go to main as commands; the list redraws from main's events, rolled back if refused.
import type { Contact, Group } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';
import type { Act } from './contact-list-screen';
import { closeMenu } from './menu';
import { presenceClass, presenceLabel } from './presence';

export interface ContactRowProps {
  contact: Contact;
  /** The group this row is shown in ('' for the group-less section of MSNP2–6 lists). */
  groupId: string;
  groups: Group[];
  disabled: boolean;
  act: Act;
}

export function ContactRow({ contact: c, groupId, groups, disabled, act }: ContactRowProps) {
  const name = decodeName(c.nickname);
  const moveTargets = groupId === '' ? [] : groups.filter((g) => g.id !== groupId && !c.groupIds.includes(g.id));
  return (
    <li className="contact" title={c.email}>
      <span className={presenceClass(c.status)} aria-hidden="true" />
      <span className="nickname">{name}</span>
      <span className="status-text">{c.lists.BL ? 'Blocked' : presenceLabel(c.status)}</span>
      <details className="actions">
        <summary aria-label={`Actions for ${name}`}>⋯</summary>
        <div className="menu">
          <button type="button" disabled={disabled} onClick={(e) => (closeMenu(e), void act((x) => (c.lists.BL ? x.unblockContact(c.email) : x.blockContact(c.email))))}>
            {c.lists.BL ? 'Unblock' : 'Block'}
          </button>
          <button type="button" disabled={disabled} onClick={(e) => (closeMenu(e), void act((x) => x.removeContact(c.email)))}>
            Remove from contacts
          </button>
          {moveTargets.length > 0 && (
            <select
              aria-label={`Move ${name} to`}
              disabled={disabled}
              value=""
              onChange={(e) => {
                closeMenu(e);
                if (e.target.value) void act((x) => x.moveContact(c.email, groupId, e.target.value));
              }}
            >
              <option value="">Move to…</option>
              {moveTargets.map((g) => (
                <option key={g.id} value={g.id}>
                  {decodeName(g.name)}
                </option>
              ))}
            </select>
          )}
        </div>
      </details>
    </li>
  );
}

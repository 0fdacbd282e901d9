// A group: its decoded name with online/total counts, its contacts, and its own actions (rename, remove). Group 0
// (the server's default group) and the group-less section of old protocol versions cannot be renamed or removed.
import { useState, type FormEvent } from 'react';
import type { Contact, Group } from '../../src-shared/messenger-types';
import { decodeName } from '../../src-shared/url-codec';
import { ContactRow } from './contact-row';
import type { Act } from './contact-list-screen';
import { closeMenu } from './menu';

export interface GroupSectionProps {
  group: Group;
  contacts: Contact[];
  groups: Group[];
  disabled: boolean;
  act: Act;
}

export function GroupSection({ group, contacts, groups, disabled, act }: GroupSectionProps) {
  const name = decodeName(group.name);
  const editable = group.id !== '' && group.id !== '0';
  const [renaming, setRenaming] = useState<string | null>(null);
  const rename = async (e: FormEvent) => {
    e.preventDefault();
    const text = (renaming ?? '').trim();
    setRenaming(null);
    // Plain text goes to main, which encodes it once.
    if (text && text !== name) await act((x) => x.renameGroup(group.id, text));
  };
  return (
    <section className="group" aria-label={name}>
      {renaming === null ? (
        <h2>
          {name} <span className="count">({contacts.filter((c) => c.status !== 'FLN').length}/{contacts.length})</span>
          {editable && (
            <details className="actions">
              <summary aria-label={`Actions for group ${name}`}>⋯</summary>
              <div className="menu">
                <button type="button" disabled={disabled} onClick={(e) => (closeMenu(e), setRenaming(name))}>
                  Rename group
                </button>
                <button type="button" disabled={disabled} onClick={(e) => (closeMenu(e), void act((x) => x.removeGroup(group.id)))}>
                  Remove group
                </button>
              </div>
            </details>
          )}
        </h2>
      ) : (
        <form className="inline-form" onSubmit={(e) => void rename(e)}>
          <input aria-label={`New name for ${name}`} value={renaming} maxLength={61} autoFocus onChange={(e) => setRenaming(e.target.value)} />
          <button type="submit">Save</button>
        </form>
      )}
      <ul>
        {contacts.map((c) => (
          <ContactRow key={c.email} contact={c} groupId={group.id} groups={groups} disabled={disabled} act={act} />
        ))}
      </ul>
    </section>
  );
}

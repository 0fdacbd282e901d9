// Privacy: who may see my status and message me (BLP: everyone but my block list, or only my allow list), whether I
// am asked when someone adds me (GTC), and the allow and block lists themselves. What is shown is what the server
// reports (its reply, then the list of the next sign-in), never just what was asked for: when a server acknowledges a
// change and then reports the old value (today's Escargot does this), the tab says so, and the old value is the one
// shown as in force.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseRow } from '../dialog';
import type { Contact } from '../../../src-shared/messenger-types';
import type { HistoryStatus } from '../../../src-shared/history-types';
import { useButterflyStore } from '../../store/store';
import { contactName } from '../display-name';
import { describeError, type ErrorWords } from '../errors';
import { FormError } from '../form-error';
import { useCommands } from '../main-api';
import { nameOfEmail } from '../contact-list/list-dialogs';

export function PrivacyTab({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const commands = useCommands();
  const accountId = useButterflyStore((s) => s.accountId) ?? '';
  const privacy = useButterflyStore((s) => s.privacy);
  const requested = useButterflyStore((s) => s.preferences.privacyRequested[accountId]);
  const notePrivacyRequest = useButterflyStore((s) => s.notePrivacyRequest);
  const contacts = useButterflyStore((s) => s.layoutContacts);
  const connected = useButterflyStore((s) => s.connection.kind === 'connected');
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<ErrorWords | null>(null);
  const blpId = useId();

  const change = async (patch: { blp?: 'AL' | 'BL'; gtc?: 'A' | 'N' }) => {
    setPending(true);
    setFailure(null);
    const result = await commands.setPrivacy(patch);
    setPending(false);
    if (result.ok) notePrivacyRequest(accountId, patch);
    else setFailure(describeError(t, result.error, { action: 'privacy' }, nameOfEmail));
  };
  const block = async (email: string, blocked: boolean) => {
    const result = blocked ? await commands.blockContact(email) : await commands.unblockContact(email);
    setFailure(result.ok ? null : describeError(t, result.error, { action: blocked ? 'block-contact' : 'unblock-contact', email }, nameOfEmail));
  };

  // BLP AL: people on neither list are allowed; BLP BL: they are blocked.
  const blpWords = (v: 'AL' | 'BL') => (v === 'AL' ? t('settings.privacy.blpAL') : t('settings.privacy.blpBL'));
  const gtcWords = (v: 'A' | 'N') => (v === 'A' ? t('settings.privacy.gtcOn') : t('settings.privacy.gtcOff'));
  const blpNotKept = requested?.blp !== undefined && requested.blp !== privacy.blp;
  const gtcNotKept = requested?.gtc !== undefined && requested.gtc !== privacy.gtc;
  const allowed = contacts.filter((c) => c.lists.AL && !c.lists.BL);
  const blocked = contacts.filter((c) => c.lists.BL);

  return (
    <div className="privacy">
      <fieldset disabled={!connected || pending} aria-describedby={`${blpId}-reported`}>
        <legend>{t('settings.privacy.blp')}</legend>
        {(['AL', 'BL'] as const).map((v) => (
          <label key={v} className="check">
            <input type="radio" name="blp" checked={privacy.blp === v} onChange={() => void change({ blp: v })} /> <span>{blpWords(v)}</span>
          </label>
        ))}
        <p id={`${blpId}-reported`} className={blpNotKept ? 'warning' : 'hint'} role={blpNotKept ? 'alert' : undefined}>
          {blpNotKept ? t('settings.privacy.notKept', { value: blpWords(privacy.blp) }) : t('settings.privacy.reported', { value: blpWords(privacy.blp) })}
        </p>
      </fieldset>
      <fieldset disabled={!connected || pending}>
        <legend className="sr-only">{t('settings.privacy.gtc')}</legend>
        <label className="check">
          <input type="checkbox" checked={privacy.gtc === 'A'} onChange={(e) => void change({ gtc: e.target.checked ? 'A' : 'N' })} /> <span>{t('settings.privacy.gtc')}</span>
        </label>
        <p className={gtcNotKept ? 'warning' : 'hint'} role={gtcNotKept ? 'alert' : undefined}>
          {gtcNotKept ? t('settings.privacy.notKept', { value: gtcWords(privacy.gtc) }) : t('settings.privacy.reported', { value: gtcWords(privacy.gtc) })}
        </p>
      </fieldset>
      {pending && <p role="status">{t('settings.privacy.pending')}</p>}
      <FormError words={failure} />
      <div className="privacy-lists">
        <PeopleList title={t('settings.privacy.allowList')} empty={t('settings.privacy.allowEmpty')} people={allowed} action={t('settings.privacy.moveToBlock')} label={(name) => t('settings.privacy.blockPerson', { name })} disabled={!connected} onMove={(email) => void block(email, true)} />
        <PeopleList title={t('settings.privacy.blockList')} empty={t('settings.privacy.blockEmpty')} people={blocked} action={t('settings.privacy.moveToAllow')} label={(name) => t('settings.privacy.allowPerson', { name })} disabled={!connected} onMove={(email) => void block(email, false)} />
      </div>
      <HistorySetting />
      <CloseRow onClose={onClose} />
    </div>
  );
}

/** Keeping the message history (on unless turned off): the account's own setting, kept by main with the account. */
function HistorySetting() {
  const { t } = useTranslation();
  const commands = useCommands();
  const [status, setStatus] = useState<HistoryStatus | null>(null);
  const [failure, setFailure] = useState<ErrorWords | null>(null);
  useEffect(() => {
    let live = true;
    void commands.historyStatus().then((r) => {
      if (!live) return;
      if (r.ok) setStatus(r.value);
      else setFailure(describeError(t, r.error, { action: 'privacy' }, nameOfEmail));
    });
    return () => {
      live = false;
    };
  }, [commands, t]);
  const change = async (keepHistory: boolean) => {
    setFailure(null);
    const r = await commands.setKeepHistory(keepHistory);
    if (r.ok) setStatus(r.value);
    else setFailure(describeError(t, r.error, { action: 'privacy' }, nameOfEmail));
  };
  const hint = !status ? '' : !status.keepHistory ? t('settings.privacy.historyOff') : status.persistent ? t('settings.privacy.historyOn') : t('settings.privacy.historyMemory');
  return (
    <fieldset disabled={!status}>
      <legend className="sr-only">{t('settings.privacy.keepHistory')}</legend>
      <label className="check">
        <input type="checkbox" checked={status?.keepHistory ?? true} onChange={(e) => void change(e.target.checked)} /> <span>{t('settings.privacy.keepHistory')}</span>
      </label>
      <p className="hint" role="status">
        {hint}
      </p>
      <FormError words={failure} />
    </fieldset>
  );
}

interface PeopleListProps {
  title: string;
  empty: string;
  people: readonly Contact[];
  action: string;
  label: (name: string) => string;
  disabled: boolean;
  onMove: (email: string) => void;
}

function PeopleList({ title, empty, people, action, label, disabled, onMove }: PeopleListProps) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="people">
      <h3 id={id}>{title}</h3>
      {people.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul>
          {people.map((c) => (
            <li key={c.email}>
              <bdi className="nickname" title={c.email}>
                {contactName(c)}
              </bdi>
              <button type="button" className="quiet" disabled={disabled} aria-label={label(contactName(c))} onClick={() => onMove(c.email)}>
                {action}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// The highest MSNP version offered to this account's server, for a server that misbehaves with the newer ones: kept
// with the account by main and used from its next sign-in. Shown once there is an account in this run.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useButterflyStore } from '../../store/store';
import { describeError, type ErrorWords } from '../errors';
import { FormError } from '../form-error';
import { useCommands } from '../main-api';
import { nameOfEmail } from '../contact-list/list-dialogs';

/** What may be chosen: every version, or a cap from MSNP11 down to MSNP8. */
const CAPS = [11, 10, 9, 8] as const;

export function ProtocolCapField() {
  const { t } = useTranslation();
  const commands = useCommands();
  const accountId = useButterflyStore((s) => s.accountId);
  const email = useButterflyStore((s) => s.profile?.email ?? s.email);
  const maxVersion = useButterflyStore((s) => s.maxVersion);
  const [failure, setFailure] = useState<ErrorWords | null>(null);
  const id = useId();
  if (accountId === null) return null;
  const choose = async (value: string) => {
    const r = await commands.setMaxVersion(value === '' ? null : Number(value));
    setFailure(r.ok ? null : describeError(t, r.error, { action: 'set-max-version' }, nameOfEmail));
  };
  return (
    <fieldset>
      <label htmlFor={id}>{t('settings.protocolCap', { email })}</label>
      <select id={id} aria-describedby={`${id}-hint`} value={maxVersion === null ? '' : String(maxVersion)} onChange={(e) => void choose(e.target.value)}>
        <option value="">{t('settings.protocolCapAll')}</option>
        {CAPS.map((v) => (
          <option key={v} value={String(v)}>
            {t('settings.protocolVersion', { version: v })}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="hint">
        {t('settings.protocolCapHint')}
      </p>
      <FormError words={failure} />
    </fieldset>
  );
}

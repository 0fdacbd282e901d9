// Signing in: e-mail, password, the status to sign in with, and the connection settings. Focus starts in the first
// empty field, comes back to the password after a refusal (the password is not kept once used), and the progress
// of a sign-in is read out as it goes.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../src-shared/errors';
import type { ConnectionState, OwnStatus } from '../../src-shared/messenger-types';
import { useButterflyStore } from '../store/store';
import { ButterflyLogo } from './butterfly-logo';
import { ErrorDetail } from './form-error';
import { describeError } from './errors';
import { useCommands } from './main-api';
import { MainLinkStatus } from './main-link-status';
import { SettingsDialog, type SettingsTab } from './settings/settings-dialog';
import { choosableStatuses } from './status-icon';

type T = ReturnType<typeof useTranslation>['t'];

function progressText(t: T, state: ConnectionState): string | null {
  // A redirect names where it leads: the sign-in goes on with a server the first one chose.
  if (state.kind === 'connecting') return t(`signIn.step.${state.step}`, { server: state.server });
  if (state.kind === 'reconnecting') return t('signIn.retrying', { seconds: state.inSeconds });
  return null;
}

export function SignInScreen() {
  const { t } = useTranslation();
  const email = useButterflyStore((s) => s.email);
  const signInStatus = useButterflyStore((s) => s.signInStatus);
  const setEmail = useButterflyStore((s) => s.setEmail);
  const setSignInStatus = useButterflyStore((s) => s.setSignInStatus);
  const connection = useButterflyStore((s) => s.connection);
  const mainLink = useButterflyStore((s) => s.mainLink);
  const commands = useCommands();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [settingsTab, setSettingsTab] = useState<SettingsTab | null>(null);
  const { unreadable, refreshSettings, chooseDefaults } = useUnreadableSettings();
  const emailField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  const busy = connection.kind === 'connecting' || connection.kind === 'reconnecting';
  // A sign-out the person did not ask for (OUT OTH, a refused reconnect) explains itself here.
  const shownError = error ?? (connection.kind === 'signed-out' && connection.reason !== 'user' ? (connection.error ?? null) : null);
  const words = shownError ? describeError(t, shownError, { action: 'sign-in' }) : null;

  // Focus on arrival (and after signing out): the first field that still needs typing.
  useEffect(() => {
    (emailField.current?.value ? passwordField.current : emailField.current)?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Unreadable settings: the person chooses first (main would refuse anyway).
    if (unreadable) return;
    setError(null);
    const result = await commands.signIn(email.trim(), password, signInStatus);
    // The password is not kept once it has been used: a failed attempt asks for it again.
    setPassword('');
    if (!result.ok) {
      setError(result.error);
      passwordField.current?.focus();
      // Perhaps main refused because of the settings and this screen had not heard yet.
      refreshSettings();
    }
  };
  const closeSettings = () => {
    setSettingsTab(null);
    refreshSettings();
  };

  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <ButterflyLogo />
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      {unreadable && (
        <section className="settings-notice" aria-labelledby="settings-notice-text">
          <p id="settings-notice-text" role="alert">
            {t('signIn.unreadable')}
          </p>
          {unreadable.keptAs && <p className="detail">{t('signIn.keptAs', { file: unreadable.keptAs })}</p>}
          <div className="buttons">
            <button type="button" onClick={() => setSettingsTab('connection')}>
              {t('signIn.openSettings')}
            </button>
            <button type="button" className="secondary" onClick={chooseDefaults}>
              {t('signIn.useDefaults')}
            </button>
          </div>
        </section>
      )}
      <form className="sign-in-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('signIn.email')}
          <input
            ref={emailField}
            type="email"
            required
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder={t('signIn.emailPlaceholder')}
            disabled={busy}
          />
        </label>
        <label>
          {t('signIn.password')}
          <input
            ref={passwordField}
            type="password"
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            disabled={busy}
            aria-invalid={words !== null || undefined}
            aria-describedby={words ? 'sign-in-error' : undefined}
          />
        </label>
        <label>
          {t('signIn.status')}
          {/* A native select is right here: choosing only sets what the sign-in will send. */}
          <select value={signInStatus} onChange={(e) => setSignInStatus(e.target.value as OwnStatus)} disabled={busy}>
            {choosableStatuses.map((value) => (
              <option key={value} value={value}>
                {t(`status.${value}`)}
              </option>
            ))}
          </select>
        </label>
        {words && (
          <div className="form-error">
            <p id="sign-in-error" role="alert">
              {words.text}
            </p>
            {words.detail && <ErrorDetail detail={words.detail} />}
          </div>
        )}
        {busy ? (
          <div className="progress" role="status">
            <span>{progressText(t, connection)}</span>
            <button type="button" className="secondary" onClick={() => void commands.signOut()}>
              {t('signIn.cancel')}
            </button>
          </div>
        ) : (
          <button type="submit" className="primary" disabled={mainLink === 'unavailable' || unreadable !== null}>
            {t('signIn.submit')}
          </button>
        )}
      </form>
      <div className="sign-in-links">
        <button type="button" className="link" onClick={() => setSettingsTab('connection')} disabled={busy || mainLink === 'unavailable'}>
          {t('signIn.settings')}
        </button>
        <button type="button" className="link" onClick={() => setSettingsTab('appearance')} disabled={busy || mainLink === 'unavailable'}>
          {t('signIn.options')}
        </button>
      </div>
      <MainLinkStatus />
      {settingsTab && <SettingsDialog initialTab={settingsTab} onClose={closeSettings} returnFocus={() => emailField.current?.focus()} />}
    </main>
  );
}

/** Whether main could read the saved settings, asked once main answers and again after the dialog closes. */
function useUnreadableSettings() {
  const commands = useCommands();
  const mainLink = useButterflyStore((s) => s.mainLink);
  const unreadable = useButterflyStore((s) => s.unreadableSettings);
  const refreshSettings = useCallback(() => void commands.getSettings(), [commands]);
  useEffect(() => {
    if (mainLink === 'connected') refreshSettings();
  }, [mainLink, refreshSettings]);
  const chooseDefaults = () => void commands.useDefaultSettings();
  return { unreadable, refreshSettings, chooseDefaults };
}

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { SETTINGS_UNREADABLE_MESSAGE } from '../../src-shared/connection-settings';
import type { ConnectionState, ConnectStep, OwnStatus } from '../../src-shared/messenger-types';
import { useButterflyStore } from '../store/store';
import { ButterflyLogo } from './butterfly-logo';
import { useCommands } from './main-api';
import { MainLinkStatus } from './main-link-status';
import { choosableStatuses, ownStatusLabels } from './presence';
import { SettingsDialog } from './settings-dialog';

const stepLabels: Record<ConnectStep, string> = {
  connecting: 'Connecting to the server…',
  negotiating: 'Agreeing on a protocol version…',
  authenticating: 'Checking your account…',
  passport: 'Signing in with Passport…',
  redirected: 'Moving to another server…',
  syncing: 'Getting your contact list…',
};

function progressText(state: ConnectionState): string | null {
  // A redirect names where it leads: the sign-in goes on with a server the first one chose.
  if (state.kind === 'connecting' && state.step === 'redirected') return `Moving to another server (${state.server})…`;
  if (state.kind === 'connecting') return stepLabels[state.step];
  if (state.kind === 'reconnecting') return `Connection lost; trying again in ${state.inSeconds} s.`;
  return null;
}

export function SignInScreen() {
  const email = useButterflyStore((s) => s.email);
  const signInStatus = useButterflyStore((s) => s.signInStatus);
  const setEmail = useButterflyStore((s) => s.setEmail);
  const setSignInStatus = useButterflyStore((s) => s.setSignInStatus);
  const connection = useButterflyStore((s) => s.connection);
  const mainLink = useButterflyStore((s) => s.mainLink);
  const commands = useCommands();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const { unreadable, refreshSettings, chooseDefaults } = useUnreadableSettings();
  const busy = connection.kind === 'connecting' || connection.kind === 'reconnecting';
  // A sign-out the user did not ask for (OUT OTH, a refused reconnect) explains itself here.
  const shownError = error ?? (connection.kind === 'signed-out' && connection.reason !== 'user' ? (connection.error?.message ?? null) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Unreadable settings: the person chooses first (main would refuse anyway).
    if (unreadable) return;
    setError(null);
    const result = await commands.signIn(email.trim(), password, signInStatus);
    // The password is not kept once it has been used: a failed attempt asks for it again.
    setPassword('');
    if (!result.ok) {
      setError(result.error.message);
      // Perhaps main refused because of the settings and this screen had not heard yet.
      refreshSettings();
    }
  };
  const closeSettings = () => {
    setShowSettings(false);
    refreshSettings();
  };

  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <ButterflyLogo />
      <h1 id="sign-in-title">Sign in to Butterfly</h1>
      {unreadable && (
        <section className="settings-notice" aria-labelledby="settings-notice-text">
          <p id="settings-notice-text" role="alert">
            {SETTINGS_UNREADABLE_MESSAGE}
          </p>
          {unreadable.keptAs && <p className="detail">The file was kept as {unreadable.keptAs} in Butterfly’s data folder.</p>}
          <div className="buttons">
            <button type="button" onClick={() => setShowSettings(true)}>
              Open settings
            </button>
            <button type="button" className="secondary" onClick={chooseDefaults}>
              Use defaults
            </button>
          </div>
        </section>
      )}
      <form className="sign-in-form" onSubmit={(e) => void submit(e)}>
        <label>
          E-mail address
          <input type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="example@hotmail.com" disabled={busy} />
        </label>
        <label>
          Password
          <input type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} />
        </label>
        <label>
          Status
          <select value={signInStatus} onChange={(e) => setSignInStatus(e.target.value as OwnStatus)} disabled={busy}>
            {choosableStatuses.map((value) => (
              <option key={value} value={value}>
                {ownStatusLabels[value]}
              </option>
            ))}
          </select>
        </label>
        {shownError && (
          <p className="form-error" role="alert">
            {shownError}
          </p>
        )}
        {busy ? (
          <div className="progress" role="status">
            <span>{progressText(connection)}</span>
            <button type="button" className="secondary" onClick={() => void commands.signOut()}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="submit" disabled={mainLink === 'unavailable' || unreadable !== null}>
            Sign in
          </button>
        )}
      </form>
      <button type="button" className="link settings-link" onClick={() => setShowSettings(true)} disabled={busy || mainLink === 'unavailable'}>
        Connection settings…
      </button>
      <MainLinkStatus />
      {showSettings && <SettingsDialog onClose={closeSettings} />}
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
  const chooseDefaults = () => {
    void commands.useDefaultSettings();
  };
  return { unreadable, refreshSettings, chooseDefaults };
}

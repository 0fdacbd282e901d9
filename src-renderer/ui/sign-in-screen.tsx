import { useState, type FormEvent } from 'react';
import type { ConnectionState, ConnectStep, OwnStatus } from '../../src-shared/messenger-types';
import { useButterflyStore } from '../store/store';
import { ButterflyLogo } from './butterfly-logo';
import { useMessenger } from './main-api';
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
  const run = useMessenger();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const busy = connection.kind === 'connecting' || connection.kind === 'reconnecting';
  // A sign-out the user did not ask for (OUT OTH, a refused reconnect) explains itself here.
  const shownError = error ?? (connection.kind === 'signed-out' && connection.reason !== 'user' ? (connection.error?.message ?? null) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const failure = await run({ type: 'sign-in', email: email.trim(), password, status: signInStatus });
    // The password is not kept once it has been used: a failed attempt asks for it again.
    setPassword('');
    if (failure) setError(failure);
  };

  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <ButterflyLogo />
      <h1 id="sign-in-title">Sign in to Butterfly</h1>
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
            <button type="button" className="secondary" onClick={() => void run({ type: 'sign-out' })}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="submit" disabled={mainLink === 'unavailable'}>
            Sign in
          </button>
        )}
      </form>
      <button type="button" className="link settings-link" onClick={() => setShowSettings(true)} disabled={busy || mainLink === 'unavailable'}>
        Connection settings…
      </button>
      <MainLinkStatus />
      {showSettings && <SettingsDialog onClose={() => setShowSettings(false)} />}
    </main>
  );
}

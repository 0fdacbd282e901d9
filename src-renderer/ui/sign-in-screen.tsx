import { useButterflyStore } from '../store/store';
import type { PresenceChoice } from '../store/session-slice';
import { ButterflyLogo } from './butterfly-logo';
import { MainLinkStatus } from './main-link-status';

const statusLabels: Record<PresenceChoice, string> = {
  online: 'Online',
  busy: 'Busy',
  away: 'Away',
  'be-right-back': 'Be Right Back',
  'on-the-phone': 'On the Phone',
  'out-to-lunch': 'Out to Lunch',
  'appear-offline': 'Appear Offline',
};

export function SignInScreen() {
  const email = useButterflyStore((s) => s.email);
  const signInStatus = useButterflyStore((s) => s.signInStatus);
  const setEmail = useButterflyStore((s) => s.setEmail);
  const setSignInStatus = useButterflyStore((s) => s.setSignInStatus);

  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <ButterflyLogo />
      <h1 id="sign-in-title">Sign in to Butterfly</h1>
      <form className="sign-in-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          E-mail address
          <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="example@hotmail.com" />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" />
        </label>
        <label>
          Status
          <select value={signInStatus} onChange={(e) => setSignInStatus(e.target.value as PresenceChoice)}>
            {Object.entries(statusLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Sign in</button>
      </form>
      <MainLinkStatus />
    </main>
  );
}

import { SignInScreen } from './sign-in-screen';

export function App() {
  return <SignInScreen />;
}

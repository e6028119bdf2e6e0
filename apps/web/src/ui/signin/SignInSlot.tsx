/**
 * Everything sign-in adds to the shell, as one element: the banner under the
 * header, and the sign-in screen when something opened it.
 */
import './signin.css';
import { SignInBanner } from './SignInBanner.tsx';
import { SignInScreen } from './SignInScreen.tsx';
import { useSignInScreenOpen } from './sign-in-state.ts';

export function SignInSlot() {
  const open = useSignInScreenOpen();
  return (
    <>
      <SignInBanner />
      {open && <SignInScreen />}
    </>
  );
}

export { AccountSection } from './AccountSection.tsx';
export { signInScreen } from './sign-in-state.ts';

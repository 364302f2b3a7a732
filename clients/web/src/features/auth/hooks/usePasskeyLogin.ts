// The DAARION task's sign-in hook: authenticate/start → the browser's passkey
// prompt → authenticate/finish → session in the store. With `autofill` it
// also keeps a conditional-mediation request pending while signed out, so
// the browser offers the site's passkeys in the username field
// (autocomplete="username webauthn"); a button's sign-in ends that request
// and it starts again afterwards if still signed out.

import { useCallback, useEffect, useState } from "react";
import type { SignedIn } from "../../../api/types.js";
import type { SignInStep } from "../../../client/daarionAuth.js";
import { useAuthStore } from "../../../store/useAuthStore.js";
import { isAutofillAvailable } from "../../../webauthn/ceremony.js";
import { classifyCeremonyError } from "../../../webauthn/passkeyFailure.js";
import { useDaarionAuth } from "../AuthProvider.js";
import { type CeremonyState, useCeremony } from "./ceremonyState.js";

/** off: not asked for; unavailable: the browser cannot; pending: passkeys are offered in the field. */
export type AutofillState = "off" | "checking" | "unavailable" | "pending";

export interface PasskeyLogin extends CeremonyState<SignInStep, SignedIn> {
  /** Username first, or none for a discoverable passkey. Resolves to null with `error` set on failure. */
  login(input?: { username?: string }): Promise<SignedIn | null>;
  cancel(): void;
  reset(): void;
  autofill: AutofillState;
}

export function usePasskeyLogin(options: { autofill?: boolean; ceremonyTimeoutMs?: number } = {}): PasskeyLogin {
  const auth = useDaarionAuth();
  const isAuthenticated = useAuthStore((s) => s.isAuthenticated);
  const { state, run, cancel, reset } = useCeremony<SignInStep, SignedIn>();
  const [autofill, setAutofill] = useState<AutofillState>("off");
  const [autofillFailure, setAutofillFailure] = useState<CeremonyState<SignInStep, SignedIn>["error"]>(null);
  const [autofillRound, setAutofillRound] = useState(0);
  const { ceremonyTimeoutMs } = options;
  const wantAutofill = options.autofill === true && !isAuthenticated && state.status !== "working";

  const login = useCallback(
    (input: { username?: string } = {}) => {
      setAutofillFailure(null);
      return run((signal, onStep) =>
        auth.signIn(input, { signal, onStep, ...(ceremonyTimeoutMs !== undefined ? { timeoutMs: ceremonyTimeoutMs } : {}) }),
      );
    },
    [auth, run, ceremonyTimeoutMs],
  );

  useEffect(() => {
    if (!wantAutofill) {
      setAutofill("off");
      return;
    }
    const controller = new AbortController();
    setAutofill("checking");
    void (async () => {
      if (!(await isAutofillAvailable())) {
        if (!controller.signal.aborted) setAutofill("unavailable");
        return;
      }
      if (controller.signal.aborted) return;
      let picked = false; // the person chose a passkey: the browser answered
      const onStep = (step: SignInStep) => {
        // "pending" once the browser holds the request (its options have come back), not before
        if (step === "get" && !controller.signal.aborted) setAutofill("pending");
        picked ||= step === "finish";
      };
      try {
        await auth.signInWithAutofill({ signal: controller.signal, onStep });
      } catch (error) {
        if (controller.signal.aborted) return; // stopped by this hook: nothing to say
        const failure = classifyCeremonyError(error, { timedOut: false, elapsedMs: 0, timeoutMs: Infinity });
        if (failure.kind === "cancelled") return; // another ceremony took over; this effect runs again after it
        setAutofillFailure(failure);
        // Offer the passkeys again after a failed pick (paced by the person);
        // a service that cannot even start one is not asked again and again.
        if (picked) setAutofillRound((n) => n + 1);
        else setAutofill("unavailable");
      }
    })();
    return () => controller.abort();
  }, [auth, wantAutofill, autofillRound]);

  return { ...state, error: state.error ?? autofillFailure, login, cancel, reset, autofill };
}

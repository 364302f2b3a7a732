// The DAARION task's registration hook: register/start → the browser's
// passkey prompt → register/finish → session in the store. Also for an
// enrollment link (recovery or invite) and for another passkey of the
// signed-in account.

import { useCallback } from "react";
import type { AccountCreated, PasskeyAdded } from "../../../api/types.js";
import type { RegisterStep } from "../../../client/daarionAuth.js";
import { useDaarionAuth } from "../AuthProvider.js";
import { type CeremonyState, useCeremony } from "./ceremonyState.js";

export type RegisterInput =
  | { username: string; displayName?: string }
  | { enrollmentToken: string }
  | { addPasskey: true; deviceName?: string };

export interface PasskeyRegister extends CeremonyState<RegisterStep, AccountCreated | PasskeyAdded> {
  /** Runs the ceremony; resolves to the result, or null with `error` set. Never throws. */
  register(input: RegisterInput): Promise<AccountCreated | PasskeyAdded | null>;
  /** Ends the passkey prompt (status becomes failed with kind "cancelled"). */
  cancel(): void;
  reset(): void;
}

export function usePasskeyRegister(options: { ceremonyTimeoutMs?: number } = {}): PasskeyRegister {
  const auth = useDaarionAuth();
  const { state, run, cancel, reset } = useCeremony<RegisterStep, AccountCreated | PasskeyAdded>();
  const { ceremonyTimeoutMs } = options;

  const register = useCallback(
    (input: RegisterInput) =>
      run((signal, onStep) => {
        const progress = { signal, onStep, ...(ceremonyTimeoutMs !== undefined ? { timeoutMs: ceremonyTimeoutMs } : {}) };
        if ("enrollmentToken" in input) return auth.enroll(input.enrollmentToken, progress);
        if ("addPasskey" in input) return auth.addPasskey(input.deviceName ? { deviceName: input.deviceName } : {}, progress);
        return auth.signUp(input, progress);
      }),
    [auth, run, ceremonyTimeoutMs],
  );

  return { ...state, register, cancel, reset };
}

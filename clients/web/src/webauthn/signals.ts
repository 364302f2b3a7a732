// WebAuthn Level 3 signals: tell the person's passkey providers (through the
// browser) what this account has, so they stop offering passkeys it no longer
// accepts and show its current names. Each is feature-detected and never
// throws: a browser without it, or one that declines, changes nothing. Each
// resolves to whether the browser took it.

import type { Base64URLString, PasskeyList } from "../api/types.js";

type SignalName = "signalAllAcceptedCredentials" | "signalCurrentUserDetails" | "signalUnknownCredential";

function signalMethod(name: SignalName): { owner: object; method: (o: object) => Promise<void> } | null {
  const owner = (globalThis as { PublicKeyCredential?: Partial<Record<SignalName, (o: object) => Promise<void>>> })
    .PublicKeyCredential;
  const method = owner?.[name];
  return owner && typeof method === "function" ? { owner, method } : null;
}

/** Whether this browser has the signal (so a caller can skip fetching what it would send). */
export function canSignal(name: SignalName): boolean {
  return signalMethod(name) !== null;
}

async function signal(name: SignalName, options: object): Promise<boolean> {
  const found = signalMethod(name);
  if (!found) return false;
  const { owner, method } = found;
  try {
    await method.call(owner, options);
    return true;
  } catch {
    return false;
  }
}

/** After a sign-in and after a passkey is removed: every passkey the account still has. */
export function signalAcceptedCredentials(list: PasskeyList): Promise<boolean> {
  return signal("signalAllAcceptedCredentials", {
    rpId: list.rp_id,
    userId: list.user_handle,
    allAcceptedCredentialIds: list.passkeys.map((p) => p.credential_id),
  });
}

/** After the display name changed: the names a provider shows for this account's passkeys. */
export function signalUserDetails(
  account: Pick<PasskeyList, "rp_id" | "user_handle">,
  names: { username: string; displayName: string },
): Promise<boolean> {
  return signal("signalCurrentUserDetails", {
    rpId: account.rp_id,
    userId: account.user_handle,
    name: names.username,
    displayName: names.displayName,
  });
}

/** A sign-in answered unknown_credential (whose body names the passkey and RP ID): forget that one. */
export function signalUnknownCredential(details: Readonly<Record<string, unknown>>): Promise<boolean> {
  const credentialId = details["credential_id"];
  const rpId = details["rp_id"];
  if (typeof credentialId !== "string" || typeof rpId !== "string") return Promise.resolve(false);
  return signal("signalUnknownCredential", { rpId, credentialId: credentialId as Base64URLString });
}

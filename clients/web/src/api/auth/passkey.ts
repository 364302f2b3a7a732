// The four WebAuthn ceremony calls of the DAARION task (Phase 4.5):
// register/start, register/finish, authenticate/start, authenticate/finish.
// Options and responses are the WebAuthn Level 3 JSON forms, passed through
// unchanged.

import * as decode from "../decode.js";
import type { AuthHttp } from "../http.js";
import type {
  AddPasskeyStart,
  AuthenticateStart,
  AuthenticationResponseJSON,
  CreationOptionsJSON,
  EnrollmentStart,
  NewAccountStart,
  RegisterFinished,
  RegistrationResponseJSON,
  RequestOptionsJSON,
  SignedIn,
} from "../types.js";

/**
 * Creation options. A new account ({username}) and an enrollment link
 * ({enrollment_token}) are asked without a session; another passkey for the
 * signed-in account ({} or {device_name}) with the caller's session.
 */
export function registerStart(
  http: AuthHttp,
  body: NewAccountStart | EnrollmentStart | AddPasskeyStart,
  signal?: AbortSignal,
): Promise<CreationOptionsJSON> {
  const forCaller = !("username" in body) && !("enrollment_token" in body);
  return http.call({
    method: "POST",
    path: "/auth/passkey/register/start",
    body,
    as: forCaller ? "caller" : "none",
    decode: decode.creationOptions,
    ...(signal ? { signal } : {}),
  });
}

/**
 * Sends the browser's RegistrationResponseJSON. A new account or an
 * enrollment link answers with a session (AccountCreated); a passkey added
 * to the signed-in account with the credential only (PasskeyAdded).
 */
export function registerFinish(
  http: AuthHttp,
  response: RegistrationResponseJSON,
  options: { deviceName?: string; forCaller?: boolean; signal?: AbortSignal } = {},
): Promise<RegisterFinished> {
  const body = options.deviceName ? { ...response, device_name: options.deviceName } : response;
  return http.call({
    method: "POST",
    path: "/auth/passkey/register/finish",
    body,
    as: options.forCaller ? "caller" : "none",
    decode: decode.registerFinished,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Request options: {username} lists that person's passkeys; {} is for discoverable ones (autofill). */
export function authenticateStart(http: AuthHttp, body: AuthenticateStart = {}, signal?: AbortSignal): Promise<RequestOptionsJSON> {
  return http.call({
    method: "POST",
    path: "/auth/passkey/authenticate/start",
    body,
    as: "none",
    decode: decode.requestOptions,
    ...(signal ? { signal } : {}),
  });
}

/** Sends the browser's AuthenticationResponseJSON; a new session comes back. */
export function authenticateFinish(http: AuthHttp, response: AuthenticationResponseJSON, signal?: AbortSignal): Promise<SignedIn> {
  return http.call({
    method: "POST",
    path: "/auth/passkey/authenticate/finish",
    body: response,
    as: "none",
    decode: decode.signedIn,
    ...(signal ? { signal } : {}),
  });
}

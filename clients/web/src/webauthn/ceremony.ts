// The browser half of a passkey ceremony: JSON options in, JSON response out.
//
// Where the browser has WebAuthn Level 3's JSON methods
// (PublicKeyCredential.parseCreationOptionsFromJSON /
// parseRequestOptionsFromJSON and credential.toJSON()), they do every
// conversion; otherwise @simplewebauthn/browser does (loaded only then).
// One ceremony at a time per page, as browsers allow: a new one ends the
// pending one (a button's sign-in ends the autofill request). Each has a
// time limit, the service's `timeout` or a shorter one of the page's.

import type {
  AuthenticationResponseJSON,
  CreationOptionsJSON,
  RegistrationResponseJSON,
  RequestOptionsJSON,
} from "../api/types.js";
import { classifyCeremonyError, PasskeyFailure } from "./passkeyFailure.js";

export type WebAuthnImplementation = "native" | "simplewebauthn";

export interface CeremonyOptions {
  /** Aborting it cancels the ceremony (the page's Cancel button). */
  signal?: AbortSignal;
  /** A limit shorter than the service's `timeout`, in ms. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

interface PublicKeyCredentialStatics {
  parseCreationOptionsFromJSON?: (options: unknown) => PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON?: (options: unknown) => PublicKeyCredentialRequestOptions;
  isConditionalMediationAvailable?: () => Promise<boolean>;
  prototype?: { toJSON?: unknown };
}

function publicKeyCredential(): PublicKeyCredentialStatics | undefined {
  return (globalThis as { PublicKeyCredential?: PublicKeyCredentialStatics }).PublicKeyCredential;
}

/** Which code runs the ceremonies here; null when the browser has no WebAuthn at all. */
export function webAuthnImplementation(): WebAuthnImplementation | null {
  const pkc = publicKeyCredential();
  if (!pkc || typeof navigator === "undefined" || !navigator.credentials) return null;
  const native =
    typeof pkc.parseCreationOptionsFromJSON === "function" &&
    typeof pkc.parseRequestOptionsFromJSON === "function" &&
    typeof pkc.prototype?.toJSON === "function";
  return native ? "native" : "simplewebauthn";
}

/** Whether the browser can offer passkeys in a username field (conditional mediation). */
export async function isAutofillAvailable(): Promise<boolean> {
  const pkc = publicKeyCredential();
  if (!pkc || typeof pkc.isConditionalMediationAvailable !== "function") return false;
  try {
    return await pkc.isConditionalMediationAvailable();
  } catch {
    return false;
  }
}

let pending: AbortController | null = null;

/** Ends the pending ceremony of this page, if any (e.g. when leaving the page). */
export function cancelPendingCeremony(): void {
  pending?.abort(namedError("AbortError", "cancelled by the page"));
}

/** navigator.credentials.create with the service's creation options. */
export async function createPasskey(options: CreationOptionsJSON, ceremony: CeremonyOptions = {}): Promise<RegistrationResponseJSON> {
  return run(options.timeout, ceremony, false, async (signal, timeoutMs) => {
    const json = { ...options, timeout: timeoutMs };
    if (webAuthnImplementation() === "native") {
      const publicKey = publicKeyCredential()!.parseCreationOptionsFromJSON!(json);
      const credential = await navigator.credentials.create({ publicKey, signal });
      return credentialJson<RegistrationResponseJSON>(credential);
    }
    const { startRegistration, WebAuthnAbortService } = await import("@simplewebauthn/browser");
    return withAbortService(signal, WebAuthnAbortService, () =>
      startRegistration({ optionsJSON: json as Parameters<typeof startRegistration>[0]["optionsJSON"] }),
    ) as Promise<RegistrationResponseJSON>;
  });
}

/**
 * navigator.credentials.get with the service's request options.
 * `autofill` asks with conditional mediation: the request stays pending
 * while the browser offers the site's passkeys in an input whose
 * autocomplete includes "webauthn", and has no time limit.
 */
export async function getPasskey(
  options: RequestOptionsJSON,
  ceremony: CeremonyOptions & { autofill?: boolean } = {},
): Promise<AuthenticationResponseJSON> {
  const autofill = ceremony.autofill === true;
  return run(options.timeout, ceremony, autofill, async (signal, timeoutMs) => {
    const json = { ...options, timeout: timeoutMs };
    if (webAuthnImplementation() === "native") {
      const publicKey = publicKeyCredential()!.parseRequestOptionsFromJSON!(json);
      const credential = await navigator.credentials.get({
        publicKey,
        signal,
        ...(autofill ? { mediation: "conditional" as CredentialMediationRequirement } : {}),
      });
      return credentialJson<AuthenticationResponseJSON>(credential);
    }
    const { startAuthentication, WebAuthnAbortService } = await import("@simplewebauthn/browser");
    return withAbortService(signal, WebAuthnAbortService, () =>
      startAuthentication({
        optionsJSON: json as Parameters<typeof startAuthentication>[0]["optionsJSON"],
        useBrowserAutofill: autofill,
      }),
    ) as Promise<AuthenticationResponseJSON>;
  });
}

async function run<T>(
  serviceTimeoutMs: number | undefined,
  ceremony: CeremonyOptions,
  untimed: boolean,
  work: (signal: AbortSignal, timeoutMs: number) => Promise<T>,
): Promise<T> {
  if (webAuthnImplementation() === null) throw new PasskeyFailure("not_supported");
  const timeoutMs = Math.max(1, Math.min(serviceTimeoutMs ?? DEFAULT_TIMEOUT_MS, ceremony.timeoutMs ?? Infinity));

  pending?.abort(namedError("AbortError", "another passkey request started"));
  const controller = new AbortController();
  pending = controller;
  let timedOut = false;
  const timer = untimed
    ? null
    : setTimeout(() => {
        timedOut = true;
        controller.abort(namedError("NotAllowedError", "the passkey request timed out"));
      }, timeoutMs);
  const onCancel = () => controller.abort(namedError("AbortError", "cancelled"));
  if (ceremony.signal?.aborted) onCancel();
  ceremony.signal?.addEventListener("abort", onCancel, { once: true });
  const started = Date.now();
  try {
    return await work(controller.signal, timeoutMs);
  } catch (error) {
    throw classifyCeremonyError(error, { timedOut, elapsedMs: Date.now() - started, timeoutMs: untimed ? Infinity : timeoutMs });
  } finally {
    if (timer !== null) clearTimeout(timer);
    ceremony.signal?.removeEventListener("abort", onCancel);
    if (pending === controller) pending = null;
  }
}

function credentialJson<T>(credential: Credential | null): T {
  const toJSON = (credential as { toJSON?: () => unknown } | null)?.toJSON;
  if (!credential || typeof toJSON !== "function") throw new PasskeyFailure("unknown");
  return toJSON.call(credential) as T;
}

async function withAbortService<T>(signal: AbortSignal, service: { cancelCeremony(): void }, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw signal.reason;
  const onAbort = () => service.cancelCeremony();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await work();
  } catch (error) {
    // @simplewebauthn reports our abort as its own AbortError; the reason says which it was
    throw signal.aborted ? signal.reason : error;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function namedError(name: string, message: string): Error {
  return typeof DOMException === "function" ? new DOMException(message, name) : Object.assign(new Error(message), { name });
}

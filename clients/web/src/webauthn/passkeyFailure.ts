// Why a passkey ceremony did not finish, in terms a page can act on. The
// browser reports a person closing the prompt and a prompt that ran out of
// time alike (NotAllowedError); we tell them apart by the clock.

import { AuthApiError } from "../api/authApiError.js";

export type PasskeyFailureKind =
  | "cancelled" // the person closed the prompt, or the page's Cancel
  | "timed_out" // the prompt ran out of time
  | "already_registered" // this authenticator already holds a passkey for the account
  | "not_supported" // no WebAuthn here, or no authenticator that fits
  | "insecure_context" // the page's address cannot use this site's passkeys
  | "service" // the service refused: see `apiError.code`
  | "unknown";

const advice: Record<Exclude<PasskeyFailureKind, "service">, string> = {
  cancelled: "The passkey request was cancelled. You can try again whenever you are ready.",
  timed_out: "The passkey request timed out. Try again when you are ready.",
  already_registered: "This device already holds a passkey for this account.",
  not_supported: "This browser or device cannot use passkeys here.",
  insecure_context: "Passkeys cannot be used on this page's address.",
  unknown: "The passkey request did not finish. Try again.",
};

export class PasskeyFailure extends Error {
  override readonly name = "PasskeyFailure";
  readonly kind: PasskeyFailureKind;
  /** The service's refusal when kind is "service". */
  readonly apiError: AuthApiError | null;

  constructor(kind: PasskeyFailureKind, options: { apiError?: AuthApiError; cause?: unknown } = {}) {
    super(options.apiError ? options.apiError.advice : advice[kind as Exclude<PasskeyFailureKind, "service">], {
      cause: options.cause ?? options.apiError,
    });
    this.kind = kind;
    this.apiError = options.apiError ?? null;
  }

  /** A cancel or timeout: nothing is wrong, the person may simply try again. */
  get isRetryable(): boolean {
    return this.kind === "cancelled" || this.kind === "timed_out";
  }
}

/**
 * Names what went wrong with a ceremony. `timedOut` is true when our own
 * timer ended it; a NotAllowedError that arrives once the time is up counts
 * as a timeout too.
 */
export function classifyCeremonyError(error: unknown, context: { timedOut: boolean; elapsedMs: number; timeoutMs: number }): PasskeyFailure {
  if (error instanceof PasskeyFailure) return error;
  if (error instanceof AuthApiError) return new PasskeyFailure("service", { apiError: error });
  const name = errorName(error);
  if (context.timedOut) return new PasskeyFailure("timed_out", { cause: error });
  switch (name) {
    case "NotAllowedError":
      return new PasskeyFailure(context.elapsedMs >= context.timeoutMs - 250 ? "timed_out" : "cancelled", { cause: error });
    case "AbortError":
      return new PasskeyFailure("cancelled", { cause: error });
    case "InvalidStateError":
      return new PasskeyFailure("already_registered", { cause: error });
    case "NotSupportedError":
    case "ConstraintError":
      return new PasskeyFailure("not_supported", { cause: error });
    case "SecurityError":
      return new PasskeyFailure("insecure_context", { cause: error });
    default:
      return new PasskeyFailure("unknown", { cause: error });
  }
}

// @simplewebauthn/browser wraps the browser's DOMException in a WebAuthnError
// that keeps its name; both are read the same way.
function errorName(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "name" in error && typeof error.name === "string") return error.name;
  return undefined;
}

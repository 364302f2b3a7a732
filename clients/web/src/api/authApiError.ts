// What every failed API call throws: one class whose `code` is either the
// contract's machine code or, when no usable answer came back, one of the
// client's own (the network failed, the call timed out, the answer was not
// the contract's shape).

import { type ApiErrorCode, errorCodeMessage, isApiErrorCode } from "./errorCodes.js";

export type TransportErrorCode = "network_error" | "timeout" | "bad_response";

export type AuthErrorCode = ApiErrorCode | TransportErrorCode;

const transportMessages: Record<TransportErrorCode, string> = {
  network_error: "The sign-in service could not be reached. Check your connection and try again.",
  timeout: "The sign-in service did not answer in time. Try again.",
  bad_response: "The sign-in service gave an answer this page does not understand.",
};

export interface AuthApiErrorInit {
  code: AuthErrorCode;
  status: number;
  message?: string;
  serverCode?: string;
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AuthApiError extends Error {
  override readonly name = "AuthApiError";
  /** The contract's code, or a transport code when the service gave no usable answer. */
  readonly code: AuthErrorCode;
  /** The HTTP status; 0 when no answer came back. */
  readonly status: number;
  /** The code exactly as the service sent it (differs from `code` only for a code this client does not know). */
  readonly serverCode: string | undefined;
  /** Seconds to wait, from Retry-After (rate_limited). */
  readonly retryAfterSeconds: number | undefined;
  /** The error body's other members: usable_at (enrollment_pending), credential_id and rp_id (unknown_credential). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(init: AuthApiErrorInit) {
    super(init.message ?? messageFor(init.code), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.serverCode = init.serverCode;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.details = Object.freeze({ ...(init.details ?? {}) });
  }

  /** A sentence for people, from the client's table (the service's `message` is in `message`). */
  get advice(): string {
    return messageFor(this.code);
  }
}

function messageFor(code: AuthErrorCode): string {
  return isApiErrorCode(code) ? errorCodeMessage(code) : transportMessages[code];
}

/** Narrows `error` to an AuthApiError, optionally with one of `codes`. */
export function isAuthApiError<C extends AuthErrorCode>(
  error: unknown,
  ...codes: C[]
): error is AuthApiError & { code: C } {
  return error instanceof AuthApiError && (codes.length === 0 || (codes as AuthErrorCode[]).includes(error.code));
}

/** The codes that mean the presented session token is dead for good. */
export const SESSION_ENDING_CODES = ["invalid_session", "token_reused"] as const;
export type SessionEndingCode = (typeof SESSION_ENDING_CODES)[number];

export function isSessionEndingCode(code: string): code is SessionEndingCode {
  return (SESSION_ENDING_CODES as readonly string[]).includes(code);
}

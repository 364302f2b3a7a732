// Every error code of the daarion-auth HTTP contract (docs/openapi.yaml and
// the v2 additions of the API contract), in one table: the HTTP status the
// service answers it with and a sentence a person can act on. Hand-written;
// test/unit/errorCodes.test.ts keeps it equal to the yaml's Error enum.

interface ErrorCodeEntry {
  readonly status: number;
  readonly message: string;
}

const table = {
  invalid_json: { status: 400, message: "The request was not valid JSON." },
  invalid_request: { status: 400, message: "The request was not accepted. Check what you entered." },
  challenge_invalid: { status: 400, message: "This passkey request expired or was already used. Try again." },
  type_mismatch: { status: 400, message: "The browser answered a different passkey request. Try again." },
  origin_mismatch: { status: 400, message: "This page's address is not allowed to use these passkeys." },
  rp_id_mismatch: { status: 400, message: "The passkey belongs to another site." },
  user_presence_required: { status: 400, message: "Your authenticator did not confirm you were present. Try again." },
  user_verification_required: { status: 400, message: "Your authenticator must verify you (PIN or biometrics)." },
  malformed_credential: { status: 400, message: "The authenticator's answer could not be read." },
  unsupported_algorithm: { status: 400, message: "This authenticator uses a key type the service does not accept." },
  attestation_invalid: { status: 400, message: "The authenticator could not prove what it is." },
  backup_flags_invalid: { status: 400, message: "The authenticator reported an impossible backup state." },
  enrollment_invalid: { status: 400, message: "This link is not valid any more. Ask for a new one." },
  unauthenticated: { status: 401, message: "Please sign in." },
  invalid_session: { status: 401, message: "Your session has ended. Please sign in again." },
  unknown_credential: { status: 401, message: "This passkey is not known here. It may have been removed." },
  signature_invalid: { status: 401, message: "The passkey's signature did not check out." },
  token_reused: { status: 401, message: "Your session was ended for safety. Please sign in again." },
  forbidden: { status: 403, message: "You are not allowed to do that." },
  credential_disabled: { status: 403, message: "This passkey has been disabled." },
  user_disabled: { status: 403, message: "This account has been disabled." },
  counter_regression: { status: 403, message: "This passkey may have been copied; it was blocked. Contact support." },
  enrollment_pending: { status: 403, message: "This link cannot be used yet." },
  authenticator_revoked: { status: 403, message: "This kind of authenticator is no longer trusted." },
  csrf_refused: { status: 403, message: "The request was refused for safety. Reload the page." },
  not_found: { status: 404, message: "Not found." },
  method_not_allowed: { status: 405, message: "That request is not supported." },
  username_taken: { status: 409, message: "That username is taken. Pick another one." },
  credential_exists: { status: 409, message: "This passkey is already registered." },
  last_credential: { status: 409, message: "You cannot remove your only passkey." },
  payload_too_large: { status: 413, message: "The request was too large." },
  rate_limited: { status: 429, message: "Too many attempts. Wait a moment and try again." },
  internal_error: { status: 500, message: "Something went wrong on our side. Try again later." },
  unavailable: { status: 503, message: "The service is unavailable right now. Try again shortly." },
} as const satisfies Record<string, ErrorCodeEntry>;

/** A machine code of the contract: what the service puts in {"error": code}. */
export type ApiErrorCode = keyof typeof table;

export const API_ERROR_CODES = Object.freeze(Object.keys(table)) as readonly ApiErrorCode[];

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(table, value);
}

export function errorCodeStatus(code: ApiErrorCode): number {
  return table[code].status;
}

/** A sentence for people; the service's own message may be more specific. */
export function errorCodeMessage(code: ApiErrorCode): string {
  return table[code].message;
}

// The shapes of daarion-auth's HTTP API, hand-written from docs/openapi.yaml
// and the contract's v2 additions. Byte strings are unpadded base64url, times
// RFC 3339 UTC strings, as on the wire: nothing is converted.

export type Base64URLString = string;
export type Rfc3339 = string;

// ---- who is calling -----------------------------------------------------------

export type ActorType = "human" | "agent" | "service";
export type MembershipRole = "owner" | "admin" | "member";
/** The DAARION PDP's flat role names: owner → microdao_owner. */
export type PdpRole = "microdao_owner" | "admin" | "member";

export interface Membership {
  microdao_id: string;
  role: MembershipRole;
}

export interface ActorIdentity {
  actor_id: string; // "user:<uuid>", "agent:<microdao>/<name>" (a microDAO's agent), "agent:<name>" (a platform agent) or "service:<name>"
  actor_type: ActorType;
  user_id?: string | null;
  username?: string | null;
  display_name?: string | null;
  microdao_ids: string[];
  roles: PdpRole[];
  memberships: Membership[];
}

// ---- WebAuthn Level 3 JSON forms (what the ceremonies exchange) ------------------

export type PublicKeyCredentialHint = "security-key" | "client-device" | "hybrid";

export interface CredentialDescriptorJSON {
  id: Base64URLString;
  type: "public-key";
  transports?: string[];
}

export interface CreationOptionsJSON {
  challenge: Base64URLString;
  rp: { id?: string; name: string };
  user: { id: Base64URLString; name: string; displayName: string };
  pubKeyCredParams: { type: "public-key"; alg: number }[];
  timeout?: number;
  excludeCredentials?: CredentialDescriptorJSON[];
  authenticatorSelection?: {
    authenticatorAttachment?: "platform" | "cross-platform";
    residentKey?: "discouraged" | "preferred" | "required";
    requireResidentKey?: boolean;
    userVerification?: "discouraged" | "preferred" | "required";
  };
  hints?: PublicKeyCredentialHint[];
  attestation?: "none" | "indirect" | "direct" | "enterprise";
  extensions?: Record<string, unknown>;
}

export interface RequestOptionsJSON {
  challenge: Base64URLString;
  timeout?: number;
  rpId?: string;
  allowCredentials?: CredentialDescriptorJSON[];
  userVerification?: "discouraged" | "preferred" | "required";
  hints?: PublicKeyCredentialHint[];
  extensions?: Record<string, unknown>;
}

export interface RegistrationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: "public-key";
  response: {
    clientDataJSON: Base64URLString;
    attestationObject: Base64URLString;
    authenticatorData?: Base64URLString;
    transports?: string[];
    publicKeyAlgorithm?: number;
    publicKey?: Base64URLString;
  };
  authenticatorAttachment?: string | null;
  clientExtensionResults: Record<string, unknown>;
}

export interface AuthenticationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: "public-key";
  response: {
    clientDataJSON: Base64URLString;
    authenticatorData: Base64URLString;
    signature: Base64URLString;
    userHandle?: Base64URLString | null;
  };
  authenticatorAttachment?: string | null;
  clientExtensionResults: Record<string, unknown>;
}

// ---- requests -------------------------------------------------------------------

/** register/start for a new account (username 3–32 of a-z 0-9 _ . -). */
export interface NewAccountStart {
  username: string;
  display_name?: string;
}

/** register/start for another passkey of the signed-in caller's account. */
export interface AddPasskeyStart {
  device_name?: string;
  /** WebAuthn L3 conditional create (a signed-in person only). */
  conditional?: boolean;
}

/** register/start through an enrollment link (recovery or invite). */
export interface EnrollmentStart {
  enrollment_token: string;
}

/** authenticate/start: username first, or none for discoverable passkeys (autofill). */
export interface AuthenticateStart {
  username?: string;
}

// ---- responses ------------------------------------------------------------------

/** A session token as issued: shown once, kept only as SHA-256 by the service. */
export interface IssuedSession {
  session_token: string;
  expires_at: Rfc3339;
}

export interface SignedIn extends IssuedSession {
  actor: ActorIdentity;
}

export type MetadataStatus =
  | "REVOKED"
  | "USER_VERIFICATION_BYPASS"
  | "ATTESTATION_KEY_COMPROMISE"
  | "USER_KEY_REMOTE_COMPROMISE"
  | "USER_KEY_PHYSICAL_COMPROMISE";

export interface AuthenticatorInfo {
  aaguid: string;
  name: string;
  icon_light?: string | null;
  icon_dark?: string | null;
}

export interface Passkey {
  id: string;
  credential_id: Base64URLString;
  device_name: string;
  aaguid?: string | null;
  alg: number;
  transports: string[];
  attestation_format: string;
  attestation_type?: string;
  attestation_trusted?: boolean;
  user_verified?: boolean;
  backup_eligible: boolean;
  backup_state: boolean;
  sign_count: number;
  created_at: Rfc3339;
  last_used_at?: Rfc3339 | null;
  disabled: boolean;
  counter_regression: boolean;
  /** v2: null when the AAGUID is unknown. */
  authenticator?: AuthenticatorInfo | null;
  /** v2: the latest FIDO metadata status when it forbids the authenticator. */
  metadata_status?: MetadataStatus | null;
}

/** GET /auth/passkeys: the account's passkeys, with what WebAuthn L3 signals name them by. */
export interface PasskeyList {
  passkeys: Passkey[];
  /** The RP ID the passkeys belong to. */
  rp_id: string;
  /** WebAuthn user.id of the account (base64url). */
  user_handle: Base64URLString;
}

/** register/finish: a new account or an enrollment link signs in at once. */
export interface AccountCreated extends SignedIn {
  credential: Passkey;
}

/** register/finish for a passkey added to the signed-in account. */
export interface PasskeyAdded {
  credential: Passkey;
}

export type RegisterFinished = AccountCreated | PasskeyAdded;

export type SessionState = "live" | "expired" | "revoked" | "rotated";

export interface SessionInfo {
  id: string;
  created_at: Rfc3339;
  last_seen_at: Rfc3339;
  expires_at: Rfc3339;
  client_ip?: string | null;
  user_agent?: string | null;
  state: SessionState | string;
  current: boolean;
}

/** v2: a pending enrollment link of the caller's account. */
export interface Enrollment {
  id: string;
  created_at: Rfc3339;
  usable_at: Rfc3339;
  expires_at: Rfc3339;
  issued_by: string;
}

export type ActivityEventId = number | string;

/** v2: one of the caller's own security events. */
export interface ActivityEvent {
  id: ActivityEventId;
  event: string;
  at: Rfc3339;
  client_ip?: string | null;
  user_agent?: string | null;
  credential_id?: Base64URLString | null;
  detail?: unknown;
}

export interface ActivityPage {
  events: ActivityEvent[];
  /** Pass as `before` for the next (older) page; null at the end. */
  next_before: ActivityEventId | null;
}

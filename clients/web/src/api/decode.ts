// Checks that an answer has the contract's shape before the app relies on it:
// the members a caller reads must be there with the right JSON type. A
// mismatch throws ShapeError, which the HTTP layer reports as bad_response.

import type {
  AccountCreated,
  ActivityPage,
  ActorIdentity,
  CreationOptionsJSON,
  Enrollment,
  IssuedSession,
  Passkey,
  PasskeyAdded,
  PasskeyList,
  RegisterFinished,
  RequestOptionsJSON,
  SessionInfo,
  SignedIn,
} from "./types.js";

export class ShapeError extends Error {
  override readonly name = "ShapeError";
}

type JsonObject = Record<string, unknown>;

export function object(value: unknown, what: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ShapeError(`${what} is not an object`);
  return value as JsonObject;
}

function string(o: JsonObject, key: string, what: string): string {
  const value = o[key];
  if (typeof value !== "string") throw new ShapeError(`${what}.${key} is not a string`);
  return value;
}

function nonEmptyString(o: JsonObject, key: string, what: string): string {
  const value = string(o, key, what);
  if (value.length === 0) throw new ShapeError(`${what}.${key} is empty`);
  return value;
}

function optionalString(o: JsonObject, key: string, what: string): void {
  const value = o[key];
  if (value !== undefined && value !== null && typeof value !== "string") throw new ShapeError(`${what}.${key} is not a string`);
}

function array(o: JsonObject, key: string, what: string): unknown[] {
  const value = o[key];
  if (!Array.isArray(value)) throw new ShapeError(`${what}.${key} is not an array`);
  return value;
}

function stringArray(o: JsonObject, key: string, what: string): void {
  if (!array(o, key, what).every((item) => typeof item === "string")) throw new ShapeError(`${what}.${key} holds a non-string`);
}

function oneOf<T extends string>(o: JsonObject, key: string, allowed: readonly T[], what: string): T {
  const value = string(o, key, what);
  if (!(allowed as readonly string[]).includes(value)) throw new ShapeError(`${what}.${key} is ${JSON.stringify(value)}`);
  return value as T;
}

export function actorIdentity(value: unknown, what = "actor"): ActorIdentity {
  const o = object(value, what);
  nonEmptyString(o, "actor_id", what);
  oneOf(o, "actor_type", ["human", "agent", "service"], what);
  for (const key of ["user_id", "username", "display_name"]) optionalString(o, key, what);
  stringArray(o, "microdao_ids", what);
  stringArray(o, "roles", what);
  array(o, "memberships", what).forEach((m, i) => {
    const membership = object(m, `${what}.memberships[${i}]`);
    string(membership, "microdao_id", `${what}.memberships[${i}]`);
    string(membership, "role", `${what}.memberships[${i}]`);
  });
  return o as unknown as ActorIdentity;
}

export function issuedSession(value: unknown, what = "session"): IssuedSession {
  const o = object(value, what);
  nonEmptyString(o, "session_token", what);
  const expires = string(o, "expires_at", what);
  if (Number.isNaN(Date.parse(expires))) throw new ShapeError(`${what}.expires_at is not a time`);
  return o as unknown as IssuedSession;
}

export function signedIn(value: unknown): SignedIn {
  const session = issuedSession(value, "sign-in");
  actorIdentity((session as unknown as JsonObject)["actor"], "sign-in.actor");
  return session as SignedIn;
}

export function passkey(value: unknown, what = "passkey"): Passkey {
  const o = object(value, what);
  nonEmptyString(o, "id", what);
  string(o, "credential_id", what);
  string(o, "device_name", what);
  return o as unknown as Passkey;
}

export function passkeyList(value: unknown): PasskeyList {
  const o = object(value, "passkeys");
  array(o, "passkeys", "passkeys").forEach((entry, i) => passkey(entry, `passkeys[${i}]`));
  nonEmptyString(o, "rp_id", "passkeys");
  nonEmptyString(o, "user_handle", "passkeys");
  return o as unknown as PasskeyList;
}

export function registerFinished(value: unknown): RegisterFinished {
  const o = object(value, "registration");
  passkey(o["credential"], "registration.credential");
  if (o["session_token"] === undefined) return o as unknown as PasskeyAdded;
  signedIn(o);
  return o as unknown as AccountCreated;
}

export function creationOptions(value: unknown): CreationOptionsJSON {
  const o = object(value, "creation options");
  nonEmptyString(o, "challenge", "creation options");
  object(o["rp"], "creation options.rp");
  const user = object(o["user"], "creation options.user");
  nonEmptyString(user, "id", "creation options.user");
  string(user, "name", "creation options.user");
  array(o, "pubKeyCredParams", "creation options");
  return o as unknown as CreationOptionsJSON;
}

export function requestOptions(value: unknown): RequestOptionsJSON {
  const o = object(value, "request options");
  nonEmptyString(o, "challenge", "request options");
  if (o["allowCredentials"] !== undefined) array(o, "allowCredentials", "request options");
  return o as unknown as RequestOptionsJSON;
}

export function listOf<T>(key: string, item: (value: unknown, what: string) => T): (value: unknown) => T[] {
  return (value) => array(object(value, key), key, "answer").map((entry, i) => item(entry, `${key}[${i}]`));
}

export function sessionInfo(value: unknown, what = "session"): SessionInfo {
  const o = object(value, what);
  nonEmptyString(o, "id", what);
  string(o, "state", what);
  return o as unknown as SessionInfo;
}

export function enrollment(value: unknown, what = "enrollment"): Enrollment {
  const o = object(value, what);
  nonEmptyString(o, "id", what);
  string(o, "usable_at", what);
  string(o, "expires_at", what);
  return o as unknown as Enrollment;
}

export function activityPage(value: unknown): ActivityPage {
  const o = object(value, "activity");
  array(o, "events", "activity").forEach((e, i) => {
    const event = object(e, `activity.events[${i}]`);
    string(event, "event", `activity.events[${i}]`);
    string(event, "at", `activity.events[${i}]`);
  });
  const next = o["next_before"];
  if (next !== null && next !== undefined && typeof next !== "number" && typeof next !== "string") {
    throw new ShapeError("activity.next_before is neither an id nor null");
  }
  return { events: o["events"] as ActivityPage["events"], next_before: (next ?? null) as ActivityPage["next_before"] };
}

export function nothing(): void {}

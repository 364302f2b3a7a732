// The session as localStorage keeps it: one key, one JSON value, so every tab
// reads and writes it whole. What is read back is checked; anything else
// (another app's value, a hand edit, an old format) counts as signed out.

import { actorIdentity, ShapeError } from "../api/decode.js";
import type { ActorIdentity } from "../api/types.js";

export const DEFAULT_STORAGE_KEY = "daarion.auth";

/** Why the last session ended, kept so that every tab can tell the person. */
export type SessionEndReason = "signed_out" | "invalid_session" | "token_reused" | "expired";
const END_REASONS: readonly SessionEndReason[] = ["signed_out", "invalid_session", "token_reused", "expired"];

export interface SessionRecord {
  sessionToken: string;
  actor: ActorIdentity;
  /** RFC 3339; the session's absolute end, the same after every rotation. */
  expiresAt: string | null;
  /** When this token was issued (sign-in or rotation), ms since the epoch. */
  issuedAt: number;
}

export type PersistedState = { kind: "signed_in"; session: SessionRecord } | { kind: "signed_out"; reason: SessionEndReason | null };

export type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

// Far above a real session's size (an actor with a few hundred memberships);
// a value past it is not ours.
const MAX_VALUE_LENGTH = 256 * 1024;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,512}$/;

export function parsePersisted(raw: string | null): PersistedState {
  const signedOut: PersistedState = { kind: "signed_out", reason: null };
  if (raw === null || raw.length > MAX_VALUE_LENGTH) return signedOut;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return signedOut;
  }
  if (typeof value !== "object" || value === null || (value as { v?: unknown }).v !== 1) return signedOut;
  const o = value as Record<string, unknown>;
  if (o["session_token"] === undefined) {
    const reason = o["ended"];
    return { kind: "signed_out", reason: END_REASONS.includes(reason as SessionEndReason) ? (reason as SessionEndReason) : null };
  }
  const token = o["session_token"];
  const expiresAt = o["expires_at"];
  const issuedAt = o["issued_at"];
  if (typeof token !== "string" || !TOKEN_PATTERN.test(token)) return signedOut;
  if (expiresAt !== null && (typeof expiresAt !== "string" || Number.isNaN(Date.parse(expiresAt)))) return signedOut;
  if (typeof issuedAt !== "number" || !Number.isFinite(issuedAt)) return signedOut;
  let actor: ActorIdentity;
  try {
    actor = actorIdentity(o["actor"]);
  } catch (error) {
    if (error instanceof ShapeError) return signedOut;
    throw error;
  }
  return { kind: "signed_in", session: { sessionToken: token, actor, expiresAt, issuedAt } };
}

export function serializePersisted(state: PersistedState): string {
  if (state.kind === "signed_out") return JSON.stringify({ v: 1, ended: state.reason });
  const { sessionToken, actor, expiresAt, issuedAt } = state.session;
  return JSON.stringify({ v: 1, session_token: sessionToken, actor, expires_at: expiresAt, issued_at: issuedAt });
}

export function isValidSessionToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

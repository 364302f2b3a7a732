// The caller's identity and sessions: /auth/me, token rotation, sign-out and
// the list of the person's sessions.

import * as decode from "../decode.js";
import type { AuthHttp } from "../http.js";
import type { ActorIdentity, IssuedSession, SessionInfo } from "../types.js";

/** The caller's ActorIdentity. */
export function me(http: AuthHttp, signal?: AbortSignal): Promise<ActorIdentity> {
  return http.call({ method: "GET", path: "/auth/me", as: "caller", decode: (v) => decode.actorIdentity(v), ...(signal ? { signal } : {}) });
}

/** v2: changes the caller's display name; the updated ActorIdentity comes back. */
export function updateMe(http: AuthHttp, changes: { display_name: string }): Promise<ActorIdentity> {
  return http.call({ method: "PATCH", path: "/auth/me", body: changes, as: "caller", decode: (v) => decode.actorIdentity(v) });
}

/**
 * Rotates `token`: the answer's token replaces it and `token` stops working
 * at once; presenting it again ends the whole session (token_reused). The
 * session's absolute expiry stays the same.
 */
export function refreshSession(http: AuthHttp, token: string): Promise<IssuedSession> {
  return http.call({ method: "POST", path: "/auth/session/refresh", as: { token }, decode: (v) => decode.issuedSession(v) });
}

/** Ends this session, or with `everywhere` every session of the person. */
export function logout(http: AuthHttp, options: { everywhere?: boolean; token?: string } = {}): Promise<void> {
  return http.call({
    method: "POST",
    path: "/auth/logout",
    ...(options.everywhere ? { query: { all: "true" } } : {}),
    as: options.token ? { token: options.token } : "caller",
    decode: decode.nothing,
  });
}

export function listSessions(http: AuthHttp): Promise<SessionInfo[]> {
  return http.call({ method: "GET", path: "/auth/sessions", as: "caller", decode: decode.listOf("sessions", decode.sessionInfo) });
}

export function endSession(http: AuthHttp, id: string): Promise<void> {
  return http.call({ method: "DELETE", path: `/auth/sessions/${encodeURIComponent(id)}`, as: "caller", decode: decode.nothing });
}

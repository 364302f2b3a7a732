// v2: enrollment links (recovery and invites). An operator issues a one-time
// link; while it waits out its cooling-off delay the account's own sessions
// see it here and may cancel it. Using a link is a ceremony: registerStart
// with {enrollment_token} (passkey.ts).

import * as decode from "../decode.js";
import type { AuthHttp } from "../http.js";
import type { Enrollment } from "../types.js";

export function listEnrollments(http: AuthHttp): Promise<Enrollment[]> {
  return http.call({ method: "GET", path: "/auth/enrollments", as: "caller", decode: decode.listOf("enrollments", decode.enrollment) });
}

export function cancelEnrollment(http: AuthHttp, id: string): Promise<void> {
  return http.call({ method: "DELETE", path: `/auth/enrollments/${encodeURIComponent(id)}`, as: "caller", decode: decode.nothing });
}

// v2: the caller's own security events, newest first, a page at a time.

import * as decode from "../decode.js";
import type { AuthHttp } from "../http.js";
import type { ActivityEventId, ActivityPage } from "../types.js";

export function listActivity(http: AuthHttp, page: { limit?: number; before?: ActivityEventId } = {}): Promise<ActivityPage> {
  return http.call({
    method: "GET",
    path: "/auth/activity",
    query: { limit: page.limit, before: page.before },
    as: "caller",
    decode: decode.activityPage,
  });
}

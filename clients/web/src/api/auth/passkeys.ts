// The signed-in person's passkeys: list, rename, delete (never the last one:
// 409 last_credential). Adding one is a ceremony: see passkey.ts.

import * as decode from "../decode.js";
import type { AuthHttp } from "../http.js";
import type { Passkey, PasskeyList } from "../types.js";

export function listPasskeys(http: AuthHttp): Promise<Passkey[]> {
  return passkeyList(http).then((list) => list.passkeys);
}

/** The passkeys with the account's RP ID and user handle (what the WebAuthn L3 signals need). */
export function passkeyList(http: AuthHttp): Promise<PasskeyList> {
  return http.call({ method: "GET", path: "/auth/passkeys", as: "caller", decode: (v) => decode.passkeyList(v) });
}

export function renamePasskey(http: AuthHttp, id: string, deviceName: string): Promise<Passkey> {
  return http.call({
    method: "PATCH",
    path: `/auth/passkeys/${encodeURIComponent(id)}`,
    body: { device_name: deviceName },
    as: "caller",
    decode: (v) => decode.passkey(v),
  });
}

export function deletePasskey(http: AuthHttp, id: string): Promise<void> {
  return http.call({ method: "DELETE", path: `/auth/passkeys/${encodeURIComponent(id)}`, as: "caller", decode: decode.nothing });
}

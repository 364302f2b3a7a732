import type { ActorIdentity } from "../../src/api/types.js";

export function humanActor(username = "alice"): ActorIdentity {
  return {
    actor_id: "user:4b1d2c3e-0000-4000-8000-000000000001",
    actor_type: "human",
    user_id: "4b1d2c3e-0000-4000-8000-000000000001",
    username,
    display_name: username[0]!.toUpperCase() + username.slice(1),
    microdao_ids: ["microdao:7"],
    roles: ["member"],
    memberships: [{ microdao_id: "microdao:7", role: "member" }],
  };
}

/** A token of the service's form: 32 random bytes, base64url. */
export function token(fill: string): string {
  return fill.repeat(43).slice(0, 43);
}

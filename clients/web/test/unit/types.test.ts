// The hand-written types of src/api/types.ts against docs/openapi.yaml. Each
// list below must name every member of its type (the compiler checks that,
// through Exhaustive), and the test compares the list with the yaml's
// schema: members, required members and enumerations. Members the yaml does
// not have yet are the API contract's v2 additions, named as such.

import assert from "node:assert/strict";
import { test } from "node:test";
import * as decode from "../../src/api/decode.js";
import type { ActorIdentity, ActorType, MembershipRole, Passkey, PdpRole, SessionInfo } from "../../src/api/types.js";
import { openapiSchema } from "../support/openapi.js";

/** L itself when it names every key of T, else never (a compile error at the assignment). */
type Exhaustive<T, L extends readonly (keyof T)[]> = Exclude<keyof T, L[number]> extends never ? L : never;
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
type ExhaustiveRequired<T, L extends readonly RequiredKeys<T>[]> = Exclude<RequiredKeys<T>, L[number]> extends never ? L : never;
type ExhaustiveUnion<U extends string, L extends readonly U[]> = Exclude<U, L[number]> extends never ? L : never;

const actorFields = ["actor_id", "actor_type", "user_id", "username", "display_name", "microdao_ids", "roles", "memberships"] as const;
const actorFieldsChecked: Exhaustive<ActorIdentity, typeof actorFields> = actorFields;
const actorRequired = ["actor_id", "actor_type", "microdao_ids", "roles", "memberships"] as const;
const actorRequiredChecked: ExhaustiveRequired<ActorIdentity, typeof actorRequired> = actorRequired;
const actorTypes = ["human", "agent", "service"] as const;
const actorTypesChecked: ExhaustiveUnion<ActorType, typeof actorTypes> = actorTypes;
const pdpRoles = ["microdao_owner", "admin", "member"] as const;
const pdpRolesChecked: ExhaustiveUnion<PdpRole, typeof pdpRoles> = pdpRoles;
const membershipRoles = ["owner", "admin", "member"] as const;
const membershipRolesChecked: ExhaustiveUnion<MembershipRole, typeof membershipRoles> = membershipRoles;

const passkeyFields = ["id", "credential_id", "device_name", "aaguid", "alg", "transports", "attestation_format", "attestation_type",
  "attestation_trusted", "user_verified", "backup_eligible", "backup_state", "sign_count", "created_at", "last_used_at", "disabled",
  "counter_regression", "authenticator", "metadata_status"] as const;
const passkeyFieldsChecked: Exhaustive<Passkey, typeof passkeyFields> = passkeyFields;
const passkeyV2Fields = ["authenticator", "metadata_status"];

const sessionFields = ["id", "created_at", "last_seen_at", "expires_at", "client_ip", "user_agent", "state", "current"] as const;
const sessionFieldsChecked: Exhaustive<SessionInfo, typeof sessionFields> = sessionFields;

const sorted = (values: readonly string[]) => [...values].sort();

test("ActorIdentity: members, required members and enumerations as in the yaml", () => {
  const schema = openapiSchema("ActorIdentity");
  assert.deepEqual(sorted(Object.keys(schema.properties!)), sorted(actorFieldsChecked));
  assert.deepEqual(sorted(schema.required!), sorted(actorRequiredChecked));
  assert.deepEqual(sorted(schema.properties!["actor_type"]!.enum!), sorted(actorTypesChecked));
  assert.deepEqual(sorted(schema.properties!["roles"]!.items!.enum!), sorted(pdpRolesChecked));
  assert.deepEqual(sorted(schema.properties!["memberships"]!.items!.properties!["role"]!.enum!), sorted(membershipRolesChecked));
});

test("the ActorIdentity decoder takes the yaml's required members alone and refuses an answer missing any", () => {
  const minimal = { actor_id: "agent:helper", actor_type: "agent", microdao_ids: [], roles: [], memberships: [] };
  assert.doesNotThrow(() => decode.actorIdentity(minimal));
  for (const member of openapiSchema("ActorIdentity").required!) {
    const { [member]: _left, ...missing } = minimal as Record<string, unknown>;
    assert.throws(() => decode.actorIdentity(missing), decode.ShapeError, member);
  }
  assert.throws(() => decode.actorIdentity({ ...minimal, actor_type: "robot" }), decode.ShapeError);
});

test("Passkey: the yaml's members, plus the v2 ones", () => {
  const yaml = Object.keys(openapiSchema("Passkey").properties!);
  assert.deepEqual(yaml.filter((m) => !(passkeyFieldsChecked as readonly string[]).includes(m)), [], "members of the yaml missing here");
  assert.deepEqual(passkeyFieldsChecked.filter((m) => !yaml.includes(m) && !passkeyV2Fields.includes(m)), [], "members here the yaml lacks");
});

test("Session: the yaml's members", () => {
  assert.deepEqual(sorted(Object.keys(openapiSchema("Session").properties!)), sorted(sessionFieldsChecked));
});

test("creation and request options: the yaml's members are in the L3 JSON types", () => {
  const creation: readonly string[] = ["challenge", "rp", "user", "pubKeyCredParams", "timeout", "excludeCredentials",
    "authenticatorSelection", "attestation", "extensions", "hints"] satisfies (keyof import("../../src/api/types.js").CreationOptionsJSON)[];
  const request: readonly string[] = ["challenge", "timeout", "rpId", "allowCredentials", "userVerification", "hints",
    "extensions"] satisfies (keyof import("../../src/api/types.js").RequestOptionsJSON)[];
  assert.deepEqual(Object.keys(openapiSchema("CreationOptions").properties!).filter((m) => !creation.includes(m)), []);
  assert.deepEqual(Object.keys(openapiSchema("RequestOptions").properties!).filter((m) => !request.includes(m)), []);
});

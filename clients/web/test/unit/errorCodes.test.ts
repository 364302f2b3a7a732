// The client's error-code union against docs/openapi.yaml: every code the
// yaml's Error schema lists is in the union, and every code of the union is
// in the yaml or one of the API contract's v2 additions (shared/API.md) that
// the yaml does not list yet. Statuses follow the contract's table.

import assert from "node:assert/strict";
import { test } from "node:test";
import { API_ERROR_CODES, errorCodeStatus, isApiErrorCode } from "../../src/api/errorCodes.js";
import { openapiSchema } from "../support/openapi.js";

// v2 codes of the contract; each leaves this list once docs/openapi.yaml has it.
const V2_CODES = ["enrollment_invalid", "enrollment_pending", "authenticator_revoked", "csrf_refused", "method_not_allowed", "internal_error"];

function yamlErrorCodes(): string[] {
  const codes = openapiSchema("Error").properties?.["error"]?.enum;
  assert.ok(codes, "docs/openapi.yaml has components.schemas.Error.properties.error.enum");
  return codes;
}

test("every code of docs/openapi.yaml is in the union", () => {
  const yaml = yamlErrorCodes();
  assert.ok(yaml.length >= 30, `read ${yaml.length} codes`);
  assert.deepEqual(yaml.filter((code) => !isApiErrorCode(code)), []);
});

test("every code of the union is in docs/openapi.yaml or a v2 addition of the contract", () => {
  const yaml = new Set(yamlErrorCodes());
  assert.deepEqual(API_ERROR_CODES.filter((code) => !yaml.has(code) && !V2_CODES.includes(code)), []);
  for (const code of V2_CODES) assert.ok(isApiErrorCode(code), `${code} is in the union`);
});

test("statuses follow the contract's table", () => {
  const byStatus: Record<number, string[]> = {};
  for (const code of API_ERROR_CODES) (byStatus[errorCodeStatus(code)] ??= []).push(code);
  assert.deepEqual(byStatus[401]?.sort(), ["invalid_session", "signature_invalid", "token_reused", "unauthenticated", "unknown_credential"]);
  assert.deepEqual(byStatus[409]?.sort(), ["credential_exists", "last_credential", "username_taken"]);
  assert.deepEqual(byStatus[403]?.sort(), ["authenticator_revoked", "counter_regression", "credential_disabled", "csrf_refused",
                                         "enrollment_pending", "forbidden", "user_disabled"]);
  assert.equal(errorCodeStatus("enrollment_invalid"), 400);
  assert.equal(errorCodeStatus("method_not_allowed"), 405);
  assert.equal(errorCodeStatus("rate_limited"), 429);
  assert.equal(errorCodeStatus("internal_error"), 500);
  assert.equal(errorCodeStatus("unavailable"), 503);
});

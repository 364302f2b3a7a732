// How a ceremony's failure is named for the page: a closed prompt is a
// cancel, the same error once the time is up a timeout, and the service's
// refusal keeps its contract code.

import assert from "node:assert/strict";
import { test } from "node:test";
import { AuthApiError } from "../../src/api/authApiError.js";
import { classifyCeremonyError, PasskeyFailure } from "../../src/webauthn/passkeyFailure.js";

const dom = (name: string) => new DOMException("from the browser", name);
const early = { timedOut: false, elapsedMs: 3_000, timeoutMs: 60_000 };

test("NotAllowedError before the time is up: the person cancelled", () => {
  const failure = classifyCeremonyError(dom("NotAllowedError"), early);
  assert.equal(failure.kind, "cancelled");
  assert.equal(failure.isRetryable, true);
});

test("NotAllowedError once the time is up: a timeout", () => {
  assert.equal(classifyCeremonyError(dom("NotAllowedError"), { timedOut: false, elapsedMs: 60_000, timeoutMs: 60_000 }).kind, "timed_out");
});

test("our own timer ended it: a timeout, whatever the browser said", () => {
  const failure = classifyCeremonyError(dom("AbortError"), { timedOut: true, elapsedMs: 10, timeoutMs: 60_000 });
  assert.equal(failure.kind, "timed_out");
  assert.equal(failure.isRetryable, true);
});

test("the browser's other errors", () => {
  assert.equal(classifyCeremonyError(dom("AbortError"), early).kind, "cancelled");
  assert.equal(classifyCeremonyError(dom("InvalidStateError"), early).kind, "already_registered");
  assert.equal(classifyCeremonyError(dom("NotSupportedError"), early).kind, "not_supported");
  assert.equal(classifyCeremonyError(dom("SecurityError"), early).kind, "insecure_context");
  assert.equal(classifyCeremonyError(new TypeError("odd"), early).kind, "unknown");
  assert.equal(classifyCeremonyError("a string", early).kind, "unknown");
});

test("@simplewebauthn's WebAuthnError keeps the DOMException's name", () => {
  const wrapped = Object.assign(new Error("Registration ceremony was sent an abort signal"), { name: "NotAllowedError", code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY" });
  assert.equal(classifyCeremonyError(wrapped, early).kind, "cancelled");
});

test("a refusal of the service keeps its code and its advice", () => {
  const refusal = new AuthApiError({ code: "username_taken", status: 409, message: "That username is taken." });
  const failure = classifyCeremonyError(refusal, early);
  assert.equal(failure.kind, "service");
  assert.equal(failure.apiError?.code, "username_taken");
  assert.equal(failure.isRetryable, false);
  assert.match(failure.message, /username is taken/);
});

test("a PasskeyFailure passes through unchanged", () => {
  const failure = new PasskeyFailure("not_supported");
  assert.equal(classifyCeremonyError(failure, early), failure);
});

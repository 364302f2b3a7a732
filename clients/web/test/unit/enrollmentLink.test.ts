import assert from "node:assert/strict";
import { test } from "node:test";
import { isEnrollmentToken, readEnrollmentToken } from "../../src/client/enrollmentLink.js";

const token = `de_${"A".repeat(43)}`;

test("the token of #token=de_… is read", () => {
  assert.equal(readEnrollmentToken(`#token=${token}`), token);
  assert.equal(readEnrollmentToken(`#other=1&token=${token}`), token);
});

test("anything else is no token", () => {
  for (const hash of ["", "#", "#token=", `#token=dk_${"A".repeat(43)}`, "#token=de_short", `#token=de_${"A".repeat(43)}%20`,
                      `#token=de_${"A".repeat(200)}`, `#token=de_${"+".repeat(43)}`]) {
    assert.equal(readEnrollmentToken(hash), null, hash);
  }
  assert.equal(isEnrollmentToken(token), true);
});

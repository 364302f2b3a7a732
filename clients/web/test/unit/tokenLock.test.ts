// The in-page token lock (used where the Web Locks API is missing): requests
// share it, a rotation has it alone, and a waiting rotation goes before
// requests that come after it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { inPageTokenLock } from "../../src/store/tokenLock.js";
import { settle } from "../support/manualClock.js";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

test("shared holders run together", async () => {
  const lock = inPageTokenLock();
  const events: string[] = [];
  const a = gate();
  const b = gate();
  const first = lock.shared(async () => { events.push("a in"); await a.opened; events.push("a out"); });
  const second = lock.shared(async () => { events.push("b in"); await b.opened; events.push("b out"); });
  await settle();
  assert.deepEqual(events, ["a in", "b in"]);
  b.open();
  a.open();
  await Promise.all([first, second]);
});

test("an exclusive holder waits for shared ones and keeps later shared ones out until it is done", async () => {
  const lock = inPageTokenLock();
  const events: string[] = [];
  const request = gate();
  const rotation = gate();
  const r1 = lock.shared(async () => { events.push("request 1"); await request.opened; events.push("request 1 done"); });
  const rot = lock.exclusive(async () => { events.push("rotation"); await rotation.opened; events.push("rotation done"); });
  const r2 = lock.shared(async () => { events.push("request 2"); });
  await settle();
  assert.deepEqual(events, ["request 1"]);
  request.open();
  await settle();
  assert.deepEqual(events, ["request 1", "request 1 done", "rotation"]);
  rotation.open();
  await Promise.all([r1, rot, r2]);
  assert.deepEqual(events, ["request 1", "request 1 done", "rotation", "rotation done", "request 2"]);
});

test("a failing holder releases the lock and its error reaches the caller", async () => {
  const lock = inPageTokenLock();
  await assert.rejects(lock.exclusive(async () => { throw new Error("boom"); }), /boom/);
  await assert.rejects(lock.shared(() => { throw new Error("sync boom"); }), /sync boom/);
  assert.equal(await lock.exclusive(async () => "free again"), "free again");
});

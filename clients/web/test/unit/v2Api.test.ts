// The contract's v2 additions against the real daemon: enrollment links
// issued with the operator's CLI, enrollment_pending with usable_at, the
// owner cancelling a pending link, account activity pages, PATCH /auth/me.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { AuthApiError } from "../../src/api/authApiError.js";
import { listActivity } from "../../src/api/auth/activity.js";
import { cancelEnrollment, listEnrollments } from "../../src/api/auth/enrollments.js";
import { registerFinish, registerStart } from "../../src/api/auth/passkey.js";
import { updateMe } from "../../src/api/auth/session.js";
import type { AccountCreated } from "../../src/api/types.js";
import { DaarionAuth } from "../../src/client/daarionAuth.js";
import { inPageTokenLock } from "../../src/store/tokenLock.js";
import { SharedStorageArea } from "../support/browserTabs.js";
import { startService } from "../support/service.js";
import { SoftAuthenticator } from "../support/softAuthenticator.js";

let service: Awaited<ReturnType<typeof startService>>;
before(async () => {
  service = await startService("client_v2_api");
});
after(async () => {
  await service?.stop();
});

function page() {
  const tab = new SharedStorageArea().openTab();
  return new DaarionAuth({ baseUrl: service.baseUrl, storage: tab.storage, events: tab, lock: inPageTokenLock() });
}

async function signUp(auth: DaarionAuth, username: string) {
  const finished = (await registerFinish(auth.http, new SoftAuthenticator().register(await registerStart(auth.http, { username })))) as AccountCreated;
  auth.store.setSession(finished.session_token, finished.actor, finished.expires_at);
  return finished;
}

function operator(...args: string[]): Record<string, string> {
  return JSON.parse(execFileSync(process.env["DAARION_AUTHD"]!, ["enroll", ...args], {
    env: { ...process.env, DATABASE_URL: service.database.url }, encoding: "utf8",
  }));
}

async function rejection(promise: Promise<unknown>): Promise<AuthApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthApiError) return error;
    throw error;
  }
  assert.fail("the call succeeded");
}

test("an enrollment link adds a passkey and signs in; used again it is enrollment_invalid", async () => {
  const owner = page();
  await signUp(owner, "rescued");
  const link = operator("create", "--username", "rescued");
  const device = page();
  const options = await registerStart(device.http, { enrollment_token: link["token"]! });
  assert.equal(options.user.name, "rescued");
  assert.equal(options.excludeCredentials?.length, 1);
  const finished = await registerFinish(device.http, new SoftAuthenticator().register(options));
  assert.ok("session_token" in finished && finished.actor.username === "rescued");
  assert.equal((await rejection(registerStart(device.http, { enrollment_token: link["token"]! }))).code, "enrollment_invalid");
});

test("a delayed link is enrollment_pending (with usable_at), listed for the owner, and cancelled by them", async () => {
  const owner = page();
  await signUp(owner, "careful");
  const link = operator("create", "--username", "careful", "--delay", "48h");
  const pending = await rejection(registerStart(page().http, { enrollment_token: link["token"]! }));
  assert.equal(pending.code, "enrollment_pending");
  assert.equal(pending.status, 403);
  assert.equal(typeof pending.details["usable_at"], "string");
  const listed = await listEnrollments(owner.http);
  assert.deepEqual(listed.map((e) => e.id), [link["id"]]);
  await cancelEnrollment(owner.http, link["id"]!);
  assert.deepEqual(await listEnrollments(owner.http), []);
  assert.equal((await rejection(registerStart(page().http, { enrollment_token: link["token"]! }))).code, "enrollment_invalid");
});

test("activity lists the caller's own events, newest first, a page at a time", async () => {
  const auth = page();
  await signUp(auth, "active");
  await auth.rotateToken(); // a rotation is not a security event: it is not listed
  await updateMe(auth.http, { display_name: "Active One" });
  const first = await listActivity(auth.http, { limit: 1 });
  assert.equal(first.events.length, 1);
  assert.notEqual(first.next_before, null);
  assert.equal(first.events[0]!.event, "display_name_changed");
  const rest = await listActivity(auth.http, { limit: 50, before: first.next_before! });
  assert.deepEqual(rest.events.map((e) => e.event), ["registration"]);
  assert.equal(rest.next_before, null);
});

test("PATCH /auth/me changes the display name and answers the updated ActorIdentity", async () => {
  const auth = page();
  await signUp(auth, "renamer");
  const actor = await updateMe(auth.http, { display_name: "Re Namer" });
  assert.equal(actor.display_name, "Re Namer");
  assert.equal((await auth.refreshActor())?.display_name, "Re Namer");
});

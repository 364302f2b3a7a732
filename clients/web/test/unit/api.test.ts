// The API module against the real daemon and a real PostgreSQL (from
// DAARION_TEST_PG), with a software authenticator standing in for the
// browser: every call of the contract, and its errors as typed values
// carrying the contract's code. The store is wired as a page wires it
// (DaarionAuth), so a refused token clears it.

import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import { after, before, describe, test } from "node:test";
import { AuthApiError, isAuthApiError } from "../../src/api/authApiError.js";
import { authenticateFinish, authenticateStart, registerFinish, registerStart } from "../../src/api/auth/passkey.js";
import { deletePasskey, listPasskeys, passkeyList, renamePasskey } from "../../src/api/auth/passkeys.js";
import { endSession, listSessions, logout, me, refreshSession } from "../../src/api/auth/session.js";
import * as decode from "../../src/api/decode.js";
import { AuthHttp } from "../../src/api/http.js";
import type { AccountCreated } from "../../src/api/types.js";
import { DaarionAuth } from "../../src/client/daarionAuth.js";
import { inPageTokenLock } from "../../src/store/tokenLock.js";
import { SharedStorageArea } from "../support/browserTabs.js";
import { freePort, startService } from "../support/service.js";
import { b64url, SoftAuthenticator } from "../support/softAuthenticator.js";

let service: Awaited<ReturnType<typeof startService>>;
before(async () => {
  service = await startService("client_api");
});
after(async () => {
  await service?.stop();
});

/** A page's wiring in Node: its own localStorage area and store. */
function page() {
  const tab = new SharedStorageArea().openTab();
  return new DaarionAuth({ baseUrl: service.baseUrl, storage: tab.storage, events: tab, lock: inPageTokenLock() });
}

const anonymous = () => new AuthHttp({ baseUrl: service.baseUrl });

async function rejection(promise: Promise<unknown>): Promise<AuthApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthApiError) return error;
    throw error;
  }
  assert.fail("the call succeeded");
}

/** Onboarding through the API: register/start, the authenticator, register/finish, the session into the store. */
async function signUp(auth: DaarionAuth, username: string, authenticator = new SoftAuthenticator()) {
  const options = await registerStart(auth.http, { username, display_name: username.toUpperCase() });
  const finished = (await registerFinish(auth.http, authenticator.register(options))) as AccountCreated;
  auth.store.setSession(finished.session_token, finished.actor, finished.expires_at);
  return { finished, authenticator, options };
}

describe("the four ceremony calls", () => {
  test("register/start for a new account: creation options for that name", async () => {
    const options = await registerStart(anonymous(), { username: "opt_alice", display_name: "Alice" });
    assert.equal(options.rp.id, "localhost");
    assert.equal(options.user.name, "opt_alice");
    assert.equal(options.user.displayName, "Alice");
    assert.ok(options.challenge.length >= 43);
    assert.ok(options.pubKeyCredParams.some((p) => p.alg === -7));
  });

  test("register/finish signs the new account in: a session, its actor, the passkey", async () => {
    const auth = page();
    const { finished, authenticator } = await signUp(auth, "alice");
    assert.equal(finished.actor.username, "alice");
    assert.equal(finished.actor.actor_type, "human");
    assert.equal(finished.credential.credential_id, b64url(authenticator.credentials[0]!.id));
    assert.ok(Date.parse(finished.expires_at) > Date.now());
    const actor = await me(auth.http);
    assert.equal(actor.actor_id, finished.actor.actor_id);
    assert.deepEqual(service.database.rows("SELECT username, display_name FROM users WHERE username = 'alice'"), [["alice", "ALICE"]]);
  });

  test("register/start for a taken username: username_taken (409)", async () => {
    await signUp(page(), "taken");
    const error = await rejection(registerStart(anonymous(), { username: "taken" }));
    assert.equal(error.code, "username_taken");
    assert.equal(error.status, 409);
    assert.equal(error.serverCode, "username_taken");
  });

  test("register/start with an impossible username: invalid_request (400)", async () => {
    const error = await rejection(registerStart(anonymous(), { username: "No Spaces Allowed" }));
    assert.equal(error.code, "invalid_request");
    assert.equal(error.status, 400);
  });

  test("authenticate/start with a username lists that person's passkey; finish starts a session", async () => {
    const first = page();
    const { authenticator } = await signUp(first, "bob");
    const options = await authenticateStart(anonymous(), { username: "bob" });
    assert.deepEqual(options.allowCredentials?.map((c) => c.id), [b64url(authenticator.credentials[0]!.id)]);
    const signedIn = await authenticateFinish(anonymous(), authenticator.authenticate(options));
    assert.equal(signedIn.actor.username, "bob");
    assert.notEqual(signedIn.session_token, first.store.getState().sessionToken);
  });

  test("authenticate/start {} (discoverable, autofill) and finish with the user handle", async () => {
    const { authenticator } = await signUp(page(), "carol");
    const options = await authenticateStart(anonymous());
    assert.deepEqual(options.allowCredentials ?? [], []);
    const signedIn = await authenticateFinish(anonymous(), authenticator.authenticate(options, authenticator.credentials[0]));
    assert.equal(signedIn.actor.username, "carol");
  });

  test("an unknown username gets options of the same shape (no account enumeration)", async () => {
    await signUp(page(), "dave");
    const known = await authenticateStart(anonymous(), { username: "dave" });
    const unknown = await authenticateStart(anonymous(), { username: "nobody_here" });
    assert.deepEqual(Object.keys(unknown).sort(), Object.keys(known).sort());
    assert.equal(unknown.allowCredentials?.length, 1);
  });

  test("a response made on another origin: origin_mismatch (400)", async () => {
    const options = await registerStart(anonymous(), { username: "eve" });
    const error = await rejection(registerFinish(anonymous(), new SoftAuthenticator("https://evil.example").register(options)));
    assert.equal(error.code, "origin_mismatch");
    assert.equal(error.status, 400);
  });

  test("a challenge used twice: challenge_invalid (400)", async () => {
    const { authenticator } = await signUp(page(), "frank");
    const options = await authenticateStart(anonymous(), { username: "frank" });
    await authenticateFinish(anonymous(), authenticator.authenticate(options));
    const error = await rejection(authenticateFinish(anonymous(), authenticator.authenticate(options)));
    assert.equal(error.code, "challenge_invalid");
  });

  test("a forged signature: signature_invalid (401), and no session", async () => {
    const { authenticator } = await signUp(page(), "grace");
    const options = await authenticateStart(anonymous(), { username: "grace" });
    const response = authenticator.authenticate(options);
    const signature = Buffer.from(response.response.signature, "base64url");
    signature[signature.length - 1]! ^= 0x01;
    response.response.signature = b64url(signature);
    const error = await rejection(authenticateFinish(anonymous(), response));
    assert.equal(error.code, "signature_invalid");
    assert.equal(error.status, 401);
  });

  test("a passkey the service does not know: unknown_credential (401)", async () => {
    const stranger = new SoftAuthenticator();
    stranger.register(await registerStart(anonymous(), { username: "never_finished" }));
    const options = await authenticateStart(anonymous());
    const error = await rejection(authenticateFinish(anonymous(), stranger.authenticate(options, stranger.credentials[0])));
    assert.equal(error.code, "unknown_credential");
    assert.equal(error.status, 401);
  });
});

describe("sessions", () => {
  test("refresh rotates: the new token works, the old one is refused as token_reused and the store clears", async () => {
    const auth = page();
    const { finished } = await signUp(auth, "henry");
    const old = finished.session_token;
    const rotated = await refreshSession(auth.http, old);
    assert.notEqual(rotated.session_token, old);
    assert.equal(rotated.expires_at, finished.expires_at); // the family's absolute expiry stays
    auth.store.replaceToken(old, rotated);
    assert.equal((await me(auth.http)).username, "henry");

    // A copy of the old token comes back (a thief, or a stale tab): the whole session ends.
    const thief = page();
    thief.store.setSession(old, finished.actor, finished.expires_at);
    const reuse = await rejection(me(thief.http));
    assert.equal(reuse.code, "token_reused");
    assert.equal(thief.store.getState().isAuthenticated, false);
    assert.equal(thief.store.getState().endReason, "token_reused");

    const after = await rejection(me(auth.http));
    assert.equal(after.code, "invalid_session");
    assert.equal(auth.store.getState().isAuthenticated, false);
    assert.equal(auth.store.getState().endReason, "invalid_session");
  });

  test("the keeper's rotation through DaarionAuth replaces the token in the store", async () => {
    const auth = page();
    const { finished } = await signUp(auth, "iris");
    assert.equal(await auth.rotateToken(), "rotated");
    const { sessionToken } = auth.store.getState();
    assert.notEqual(sessionToken, finished.session_token);
    assert.equal((await auth.refreshActor())?.username, "iris");
  });

  test("signOut ends the session on the service and in the store", async () => {
    const auth = page();
    const { finished } = await signUp(auth, "jack");
    assert.equal(await auth.signOut(), "ended");
    assert.equal(auth.store.getState().isAuthenticated, false);
    const error = await rejection(me(new AuthHttp({ baseUrl: service.baseUrl, tokens: { currentToken: () => finished.session_token, sessionEnded: () => {} } })));
    assert.equal(error.code, "invalid_session");
  });

  test("signOut with the service out of reach still signs out here, and says so", async () => {
    const tab = new SharedStorageArea().openTab();
    const offline = new DaarionAuth({ baseUrl: `http://127.0.0.1:${await freePort()}`, storage: tab.storage, events: tab, lock: inPageTokenLock() });
    const { finished } = await signUp(page(), "nora");
    offline.store.setSession(finished.session_token, finished.actor, finished.expires_at);
    assert.equal(await offline.signOut(), "ended_here_only");
    assert.equal(offline.store.getState().isAuthenticated, false);
  });

  test("logout everywhere ends every session of the person", async () => {
    const auth = page();
    const { authenticator } = await signUp(auth, "kate");
    const other = page();
    const options = await authenticateStart(anonymous(), { username: "kate" });
    const signedIn = await authenticateFinish(anonymous(), authenticator.authenticate(options));
    other.store.setSession(signedIn.session_token, signedIn.actor, signedIn.expires_at);
    await logout(auth.http, { everywhere: true });
    assert.equal((await rejection(me(other.http))).code, "invalid_session");
    assert.equal(other.store.getState().isAuthenticated, false);
  });

  test("sessions are listed with the current one marked, and another one can be ended", async () => {
    const auth = page();
    const { authenticator } = await signUp(auth, "liam");
    const options = await authenticateStart(anonymous(), { username: "liam" });
    const second = await authenticateFinish(anonymous(), authenticator.authenticate(options));
    const sessions = await listSessions(auth.http);
    assert.equal(sessions.length, 2);
    assert.equal(sessions.filter((s) => s.current).length, 1);
    const otherId = sessions.find((s) => !s.current)!.id;
    await endSession(auth.http, otherId);
    const secondPage = page();
    secondPage.store.setSession(second.session_token, second.actor, second.expires_at);
    assert.equal((await rejection(me(secondPage.http))).code, "invalid_session");
    assert.equal((await listSessions(auth.http)).length, 1);
  });

  test("without a session: unauthenticated (401), and an empty store stays as it is", async () => {
    const auth = page();
    const error = await rejection(me(auth.http));
    assert.equal(error.code, "unauthenticated");
    assert.equal(auth.store.getState().endReason, null);
  });
});

describe("passkey management", () => {
  test("add a second passkey, rename one, delete one; the last one cannot go (last_credential)", async () => {
    const auth = page();
    const { authenticator, finished } = await signUp(auth, "mia");
    const addOptions = await registerStart(auth.http, { device_name: "Laptop" });
    assert.deepEqual(addOptions.excludeCredentials?.map((c) => c.id), [finished.credential.credential_id]);
    const added = await registerFinish(auth.http, authenticator.register(addOptions), { forCaller: true, deviceName: "Laptop" });
    assert.ok(!("session_token" in added), "adding a passkey starts no new session");
    assert.equal(added.credential.device_name, "Laptop");

    let passkeys = await listPasskeys(auth.http);
    assert.equal(passkeys.length, 2);
    const renamed = await renamePasskey(auth.http, finished.credential.id, "Phone");
    assert.equal(renamed.device_name, "Phone");

    await deletePasskey(auth.http, added.credential.id);
    passkeys = await listPasskeys(auth.http);
    assert.deepEqual(passkeys.map((p) => p.device_name), ["Phone"]);
    const last = await rejection(deletePasskey(auth.http, finished.credential.id));
    assert.equal(last.code, "last_credential");
    assert.equal(last.status, 409);
    assert.equal(service.database.rows(`SELECT count(*) FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.username = 'mia'`)[0]![0], "1");
  });

  test("the passkey list names the account's RP ID and user handle (what the WebAuthn L3 signals take)", async () => {
    const auth = page();
    const { finished, options } = await signUp(auth, "lior");
    const list = await passkeyList(auth.http);
    assert.equal(list.rp_id, options.rp.id);
    assert.equal(list.user_handle, options.user.id, "the user.id the passkey was created with");
    assert.deepEqual(list.passkeys.map((p) => p.credential_id), [finished.credential.credential_id]);
    assert.deepEqual(options.hints, [], "no PASSKEY_HINTS configured: an empty list");
  });

  test("someone else's passkey is not_found (404)", async () => {
    const owner = page();
    const { finished } = await signUp(owner, "noah");
    const other = page();
    await signUp(other, "olga");
    assert.equal((await rejection(renamePasskey(other.http, finished.credential.id, "Mine now"))).code, "not_found");
    assert.equal((await rejection(deletePasskey(other.http, finished.credential.id))).code, "not_found");
  });

  test("a rename the contract does not allow: invalid_request, nothing changes", async () => {
    const auth = page();
    const { finished } = await signUp(auth, "paul");
    assert.equal((await rejection(renamePasskey(auth.http, finished.credential.id, ""))).code, "invalid_request");
    assert.equal((await listPasskeys(auth.http))[0]!.device_name, finished.credential.device_name);
  });
});

describe("failures without a contract answer", () => {
  test("nothing listening: network_error, status 0", async () => {
    const http = new AuthHttp({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const error = await rejection(authenticateStart(http));
    assert.equal(error.code, "network_error");
    assert.equal(error.status, 0);
  });

  test("a server that never answers: timeout after the call's limit", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const started = Date.now();
      const error = await rejection(authenticateStart(new AuthHttp({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 })));
      assert.equal(error.code, "timeout");
      assert.ok(Date.now() - started < 5000);
    } finally {
      silent.close();
    }
  });

  test("an answer of another shape: bad_response", async () => {
    const error = await rejection(anonymous().call({ method: "GET", path: "/health", as: "none", decode: (v) => decode.actorIdentity(v) }));
    assert.equal(error.code, "bad_response");
    assert.equal(error.status, 200);
  });

  test("a body over the service's limit: payload_too_large (413)", async () => {
    const error = await rejection(registerStart(anonymous(), { username: "big", display_name: "x".repeat(100_000) }));
    assert.equal(error.code, "payload_too_large");
    assert.equal(error.status, 413);
  });

  test("what a proxy in front may answer instead of the service: a code from the status, the unknown code kept", async () => {
    const answers: Record<string, [number, string, string]> = {
      "/html-502": [502, "text/html", "<html><body>Bad Gateway</body></html>"],
      "/newer-code": [403, "application/json", JSON.stringify({ error: "passkey_quarantined", message: "Later.", until: "2027-01-01T00:00:00Z" })],
      "/empty-429": [429, "text/plain", ""],
    };
    const proxy = createHttpServer((req, res) => {
      const [status, type, body] = answers[req.url ?? ""] ?? [404, "text/plain", ""];
      res.writeHead(status, { "Content-Type": type, ...(status === 429 ? { "Retry-After": "7" } : {}) });
      res.end(body);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const http = new AuthHttp({ baseUrl: `http://127.0.0.1:${(proxy.address() as { port: number }).port}` });
      const get = (path: string) => rejection(http.call({ method: "GET", path, as: "none", decode: decode.nothing }));
      const gateway = await get("/html-502");
      assert.equal(gateway.code, "unavailable");
      assert.equal(gateway.serverCode, undefined);
      const newer = await get("/newer-code");
      assert.equal(newer.code, "forbidden");
      assert.equal(newer.serverCode, "passkey_quarantined");
      assert.equal(newer.message, "Later.");
      assert.equal(newer.details["until"], "2027-01-01T00:00:00Z");
      const limited = await get("/empty-429");
      assert.equal(limited.code, "rate_limited");
      assert.equal(limited.retryAfterSeconds, 7);
    } finally {
      proxy.close();
    }
  });

  test("the caller's abort ends the call with an AbortError, not an AuthApiError", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(authenticateStart(anonymous(), {}, controller.signal), (e: unknown) => !isAuthApiError(e) && (e as Error).name === "AbortError");
  });
});

describe("rate limits", () => {
  let limited: Awaited<ReturnType<typeof startService>>;
  before(async () => {
    limited = await startService("client_api_limited", { RATE_LIMIT: "on", RATE_LIMIT_USERNAME_BURST: "2", RATE_LIMIT_USERNAME_PER_MINUTE: "1" });
  });
  after(async () => {
    await limited?.stop();
  });

  test("too many sign-in starts for one name: rate_limited (429) with Retry-After in seconds", async () => {
    const http = new AuthHttp({ baseUrl: limited.baseUrl });
    await authenticateStart(http, { username: "busy" });
    await authenticateStart(http, { username: "busy" });
    const error = await rejection(authenticateStart(http, { username: "busy" }));
    assert.equal(error.code, "rate_limited");
    assert.equal(error.status, 429);
    assert.ok(error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0, `Retry-After ${error.retryAfterSeconds}`);
  });
});

// The global auth store: the seed's interface, persisted in localStorage as
// one checked value, the same state in every tab through storage events.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createAuthStore } from "../../src/store/authStore.js";
import { DEFAULT_STORAGE_KEY } from "../../src/store/persistedSession.js";
import { humanActor, token } from "../support/actors.js";
import { SharedStorageArea } from "../support/browserTabs.js";
import { ManualClock } from "../support/manualClock.js";

function tabStore(tab: ReturnType<SharedStorageArea["openTab"]>, clock = new ManualClock()) {
  return createAuthStore({ storage: tab.storage, events: tab, clock });
}

describe("the seed's AuthStore interface", () => {
  test("starts signed out", () => {
    const store = tabStore(new SharedStorageArea().openTab());
    const state = store.getState();
    assert.equal(state.sessionToken, null);
    assert.equal(state.actor, null);
    assert.equal(state.isAuthenticated, false);
    assert.equal(typeof state.setSession, "function");
    assert.equal(typeof state.clearSession, "function");
  });

  test("setSession from the state signs in; clearSession signs out", () => {
    const store = tabStore(new SharedStorageArea().openTab());
    store.getState().setSession(token("a"), humanActor(), "2026-12-31T00:00:00Z");
    assert.equal(store.getState().sessionToken, token("a"));
    assert.equal(store.getState().actor?.username, "alice");
    assert.equal(store.getState().isAuthenticated, true);
    assert.equal(store.getState().expiresAt, "2026-12-31T00:00:00Z");
    store.getState().clearSession();
    assert.equal(store.getState().isAuthenticated, false);
    assert.equal(store.getState().sessionToken, null);
    assert.equal(store.getState().endReason, "signed_out");
  });

  test("getState is the same object until something changes", () => {
    const store = tabStore(new SharedStorageArea().openTab());
    const before = store.getState();
    assert.equal(store.getState(), before);
    store.setSession(token("a"), humanActor());
    assert.notEqual(store.getState(), before);
    assert.ok(Object.isFrozen(store.getState()));
  });

  test("subscribers hear each change once, and no longer after unsubscribing", () => {
    const store = tabStore(new SharedStorageArea().openTab());
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.setSession(token("a"), humanActor());
    store.setSession(token("a"), humanActor()); // no change
    assert.equal(calls, 1);
    unsubscribe();
    store.clearSession();
    assert.equal(calls, 1);
  });

  test("setSession refuses what is not a session token", () => {
    const store = tabStore(new SharedStorageArea().openTab());
    assert.throws(() => store.setSession("", humanActor()), TypeError);
    assert.throws(() => store.setSession("has spaces in it and more than sixteen", humanActor()), TypeError);
    assert.equal(store.getState().isAuthenticated, false);
  });
});

describe("persisted in localStorage", () => {
  test("the session survives a reload (a new store on the same storage)", () => {
    const area = new SharedStorageArea();
    tabStore(area.openTab()).setSession(token("a"), humanActor(), "2026-12-31T00:00:00Z");
    const raw = area.values.get(DEFAULT_STORAGE_KEY)!;
    assert.equal(JSON.parse(raw).session_token, token("a"));
    const reloaded = tabStore(area.openTab());
    assert.equal(reloaded.getState().sessionToken, token("a"));
    assert.deepEqual(reloaded.getState().actor, humanActor());
  });

  test("a session past its expiry reads back as signed out (expired)", () => {
    const area = new SharedStorageArea();
    const clock = new ManualClock(Date.parse("2026-12-01T00:00:00Z"));
    tabStore(area.openTab(), clock).setSession(token("a"), humanActor(), "2026-12-02T00:00:00Z");
    const later = new ManualClock(Date.parse("2026-12-02T00:00:01Z"));
    const state = tabStore(area.openTab(), later).getState();
    assert.equal(state.isAuthenticated, false);
    assert.equal(state.endReason, "expired");
  });

  const broken: [string, string][] = [
    ["not JSON", "{session_token: x"],
    ["another format version", JSON.stringify({ v: 2, session_token: token("a"), actor: humanActor(), expires_at: null, issued_at: 1 })],
    ["a token with spaces", JSON.stringify({ v: 1, session_token: "a b c d e f g h i j k l", actor: humanActor(), expires_at: null, issued_at: 1 })],
    ["a token too long", JSON.stringify({ v: 1, session_token: "a".repeat(513), actor: humanActor(), expires_at: null, issued_at: 1 })],
    ["no actor", JSON.stringify({ v: 1, session_token: token("a"), expires_at: null, issued_at: 1 })],
    ["an actor of another shape", JSON.stringify({ v: 1, session_token: token("a"), actor: { actor_id: 7 }, expires_at: null, issued_at: 1 })],
    ["an expiry that is no time", JSON.stringify({ v: 1, session_token: token("a"), actor: humanActor(), expires_at: "soon", issued_at: 1 })],
    ["a value of 300 KiB", JSON.stringify({ v: 1, session_token: token("a"), actor: humanActor(), expires_at: null, issued_at: 1, pad: "x".repeat(300 * 1024) })],
    ["null", "null"],
    ["an array", "[1,2]"],
  ];
  for (const [what, raw] of broken) {
    test(`a stored value that is ${what} counts as signed out`, () => {
      const area = new SharedStorageArea();
      area.values.set(DEFAULT_STORAGE_KEY, raw);
      const state = tabStore(area.openTab()).getState();
      assert.equal(state.isAuthenticated, false);
      assert.equal(state.sessionToken, null);
    });
  }

  test("storage that throws (blocked, full) keeps the session in memory for this tab", () => {
    const throwing = {
      getItem: () => { throw new Error("SecurityError"); },
      setItem: () => { throw new Error("QuotaExceededError"); },
      removeItem: () => { throw new Error("SecurityError"); },
    };
    const store = createAuthStore({ storage: throwing, events: null, clock: new ManualClock() });
    assert.equal(store.getState().isAuthenticated, false);
    store.setSession(token("a"), humanActor());
    assert.equal(store.getState().sessionToken, token("a"));
    store.reload();
    assert.equal(store.getState().sessionToken, token("a"));
  });

  test("storage: null keeps the session in memory only", () => {
    const store = createAuthStore({ storage: null, events: null });
    store.setSession(token("a"), humanActor());
    assert.equal(store.getState().isAuthenticated, true);
  });

  test("its own key only: other keys of the origin are left alone", () => {
    const area = new SharedStorageArea();
    area.values.set("theme", "dark");
    const store = createAuthStore({ storage: area.openTab().storage, events: null, storageKey: "daarion.test" });
    store.setSession(token("a"), humanActor());
    store.clearSession();
    assert.equal(area.values.get("theme"), "dark");
    assert.ok(area.values.has("daarion.test"));
    assert.ok(!area.values.has(DEFAULT_STORAGE_KEY));
  });
});

describe("the same state in every tab", () => {
  test("a sign-in in one tab signs in the other, and its subscribers hear it", () => {
    const area = new SharedStorageArea();
    const one = tabStore(area.openTab());
    const two = tabStore(area.openTab());
    let heard = 0;
    two.subscribe(() => heard++);
    one.setSession(token("a"), humanActor());
    assert.equal(two.getState().sessionToken, token("a"));
    assert.equal(two.getState().actor?.username, "alice");
    assert.equal(heard, 1);
  });

  test("a sign-out in one tab signs out the other, with the reason", () => {
    const area = new SharedStorageArea();
    const one = tabStore(area.openTab());
    const two = tabStore(area.openTab());
    one.setSession(token("a"), humanActor());
    one.clearSession("token_reused");
    assert.equal(two.getState().isAuthenticated, false);
    assert.equal(two.getState().endReason, "token_reused");
  });

  test("localStorage.clear() in another tab signs out", () => {
    const area = new SharedStorageArea();
    const one = tabStore(area.openTab());
    const tab2 = area.openTab();
    const two = tabStore(tab2);
    one.setSession(token("a"), humanActor());
    assert.equal(two.getState().isAuthenticated, true);
    tab2.clearAll();
    assert.equal(one.getState().isAuthenticated, false);
  });

  test("a rotation in one tab gives the other the new token and keeps the actor", () => {
    const area = new SharedStorageArea();
    const one = tabStore(area.openTab());
    const two = tabStore(area.openTab());
    one.setSession(token("a"), humanActor(), "2026-12-31T00:00:00Z");
    assert.equal(one.replaceToken(token("a"), { session_token: token("b"), expires_at: "2026-12-31T00:00:00Z" }), true);
    assert.equal(two.getState().sessionToken, token("b"));
    assert.equal(two.getState().actor?.username, "alice");
  });

  test("replaceToken reads storage first: a tab whose event is late does not undo the other tab's sign-out", () => {
    const area = new SharedStorageArea();
    const one = tabStore(area.openTab());
    const slowTab = area.openTab();
    const two = tabStore(slowTab);
    one.setSession(token("a"), humanActor());
    slowTab.holdEvents = true;
    one.clearSession();
    assert.equal(two.getState().sessionToken, token("a")); // its event has not arrived
    assert.equal(two.replaceToken(token("a"), { session_token: token("b"), expires_at: "2026-12-31T00:00:00Z" }), false);
    assert.equal(two.getState().isAuthenticated, false);
    assert.equal(area.values.has(DEFAULT_STORAGE_KEY) && JSON.parse(area.values.get(DEFAULT_STORAGE_KEY)!).session_token, undefined);
  });

  test("updateActor only touches the session it was fetched for", () => {
    const store = tabStore(new SharedStorageArea().openTab());
    store.setSession(token("a"), humanActor("alice"));
    store.updateActor(token("z"), humanActor("mallory"));
    assert.equal(store.getState().actor?.username, "alice");
    store.updateActor(token("a"), humanActor("alicia"));
    assert.equal(store.getState().actor?.username, "alicia");
  });

  test("after dispose the store no longer follows other tabs", () => {
    const area = new SharedStorageArea();
    const one = tabStore(area.openTab());
    const two = tabStore(area.openTab());
    two.dispose();
    one.setSession(token("a"), humanActor());
    assert.equal(two.getState().isAuthenticated, false);
  });
});

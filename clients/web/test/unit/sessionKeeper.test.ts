// The session keeper: rotates an aging token, signs out at the session's
// absolute end, retries a failed rotation later, and with two tabs on one
// localStorage rotates once, not twice (a second rotation of the same token
// would be a reuse and end the session).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuthApiError } from "../../src/api/authApiError.js";
import type { IssuedSession } from "../../src/api/types.js";
import { createAuthStore } from "../../src/store/authStore.js";
import { inPageTokenLock } from "../../src/store/tokenLock.js";
import type { KeeperLeadership } from "../../src/session/keeperLeadership.js";
import { SessionKeeper } from "../../src/session/sessionKeeper.js";
import { humanActor, token } from "../support/actors.js";
import { SharedStorageArea } from "../support/browserTabs.js";
import { ManualClock, settle } from "../support/manualClock.js";
import { sharedLeadership } from "../support/sharedLeadership.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// What the service does on POST /auth/session/refresh: a new token for a live
// one (same absolute expiry), token_reused for a rotated-out one.
class RotatingService {
  calls: string[] = [];
  failNext: AuthApiError | null = null;
  private live: string;
  private retired = new Set<string>();
  private counter = 0;

  constructor(first: string, readonly expiresAt: string) {
    this.live = first;
  }

  refresh = async (presented: string): Promise<IssuedSession> => {
    this.calls.push(presented);
    if (this.failNext) {
      const failure = this.failNext;
      this.failNext = null;
      throw failure;
    }
    if (this.retired.has(presented)) throw new AuthApiError({ code: "token_reused", status: 401 });
    if (presented !== this.live) throw new AuthApiError({ code: "invalid_session", status: 401 });
    this.retired.add(presented);
    this.live = token(String.fromCharCode(98 + this.counter++));
    return { session_token: this.live, expires_at: this.expiresAt };
  };

  get current(): string {
    return this.live;
  }
}

function setup(options: { expiresInMs?: number; rotateAfterMs?: number; leadership?: KeeperLeadership } = {}) {
  const clock = new ManualClock();
  const area = new SharedStorageArea();
  const expiresAt = new Date(clock.now() + (options.expiresInMs ?? 30 * DAY)).toISOString();
  const service = new RotatingService(token("a"), expiresAt);
  const lock = inPageTokenLock();
  const tab = () => {
    const browserTab = area.openTab();
    const store = createAuthStore({ storage: browserTab.storage, events: browserTab, clock });
    const keeper = new SessionKeeper({
      store, lock, clock, refresh: service.refresh, rotateAfterMs: options.rotateAfterMs ?? HOUR,
      ...(options.leadership ? { leadership: options.leadership } : {}),
    });
    keeper.start();
    return { store, keeper, browserTab };
  };
  const first = tab();
  first.store.setSession(token("a"), humanActor(), expiresAt);
  return { clock, service, first, tab, expiresAt };
}

describe("rotation", () => {
  test("the token is rotated once it is an hour old, and the store holds the new one", async () => {
    const { clock, service, first } = setup();
    await clock.advance(HOUR - 1);
    assert.deepEqual(service.calls, []);
    await clock.advance(1);
    assert.deepEqual(service.calls, [token("a")]);
    assert.equal(first.store.getState().sessionToken, service.current);
    assert.equal(first.store.getState().actor?.username, "alice");
  });

  test("it keeps rotating every hour", async () => {
    const { clock, service } = setup();
    await clock.advance(5 * HOUR);
    assert.equal(service.calls.length, 5);
  });

  test("the absolute expiry stays what the service said", async () => {
    const { clock, first, expiresAt } = setup();
    await clock.advance(HOUR);
    assert.equal(first.store.getState().expiresAt, expiresAt);
  });

  test("a failed rotation (service down) is tried again a minute later, not at once", async () => {
    const { clock, service, first } = setup();
    service.failNext = new AuthApiError({ code: "unavailable", status: 503 });
    await clock.advance(HOUR);
    assert.equal(service.calls.length, 1);
    assert.equal(first.store.getState().sessionToken, token("a"));
    await clock.advance(59_999);
    assert.equal(service.calls.length, 1);
    await clock.advance(1);
    assert.equal(service.calls.length, 2);
    assert.equal(first.store.getState().sessionToken, service.current);
  });

  test("rotate(true) rotates now, whatever the schedule", async () => {
    const { service, first } = setup();
    assert.equal(await first.keeper.rotate(true), "rotated");
    assert.equal(first.store.getState().sessionToken, service.current);
  });

  test("stop() ends the schedule", async () => {
    const { clock, service, first } = setup();
    first.keeper.stop();
    await clock.advance(3 * HOUR);
    assert.deepEqual(service.calls, []);
  });
});

describe("expiry", () => {
  test("at the session's absolute end the store signs out (expired), without a rotation that could not help", async () => {
    const { clock, service, first } = setup({ expiresInMs: 30 * 60_000 });
    await clock.advance(30 * 60_000);
    assert.equal(first.store.getState().isAuthenticated, false);
    assert.equal(first.store.getState().endReason, "expired");
    assert.deepEqual(service.calls, []);
  });

  test("a 30-day session (longer than one setTimeout can wait) still ends on time", async () => {
    const { clock, first } = setup({ expiresInMs: 30 * DAY, rotateAfterMs: 60 * DAY });
    await clock.advance(30 * DAY - 1);
    assert.equal(first.store.getState().isAuthenticated, true);
    await clock.advance(1);
    assert.equal(first.store.getState().isAuthenticated, false);
  });
});

describe("two tabs", () => {
  test("only one tab rotates; the other takes the new token and does not present the old one", async () => {
    const { clock, service, first, tab } = setup();
    const second = tab();
    assert.equal(second.store.getState().sessionToken, token("a"));
    await clock.advance(HOUR);
    assert.deepEqual(service.calls, [token("a")]); // one rotation, no reuse
    assert.equal(first.store.getState().sessionToken, service.current);
    assert.equal(second.store.getState().sessionToken, service.current);
    assert.equal(second.store.getState().isAuthenticated, true);
  });

  test("a tab whose storage event is late still finds the fresh token under the lock", async () => {
    const { clock, service, first, tab } = setup();
    const second = tab();
    second.browserTab.holdEvents = true;
    await clock.advance(HOUR);
    assert.deepEqual(service.calls, [token("a")]);
    assert.equal(first.store.getState().sessionToken, service.current);
    second.browserTab.deliverEvents();
    assert.equal(second.store.getState().sessionToken, service.current);
  });
});

describe("one leading tab", () => {
  test("only the leader rotates, even when the other tab's copy of localStorage lags behind", async () => {
    const { clock, service, first, tab } = setup({ leadership: sharedLeadership() });
    const second = tab();
    second.browserTab.holdEvents = true; // its copy of localStorage never catches up
    assert.equal(first.keeper.isLeader, true);
    assert.equal(second.keeper.isLeader, false);
    await clock.advance(3 * HOUR);
    assert.equal(service.calls.length, 3);
    assert.equal(new Set(service.calls).size, 3, "no token was presented twice");
    assert.equal(first.store.getState().sessionToken, service.current);
  });

  test("when the leading tab closes, the next one leads and rotates the token the leader wrote last", async () => {
    const { clock, service, first, tab } = setup({ leadership: sharedLeadership() });
    const second = tab();
    await clock.advance(HOUR);
    first.keeper.stop();
    assert.equal(second.keeper.isLeader, true);
    await clock.advance(HOUR);
    assert.deepEqual(service.calls.length, 2);
    assert.equal(new Set(service.calls).size, 2);
    assert.equal(second.store.getState().sessionToken, service.current);
  });

  test("a tab that does not lead still signs out at the session's end", async () => {
    const { clock, tab } = setup({ leadership: sharedLeadership(), expiresInMs: 30 * 60_000 });
    const second = tab();
    assert.equal(second.keeper.isLeader, false);
    await clock.advance(30 * 60_000);
    assert.equal(second.store.getState().endReason, "expired");
  });

  test("the rotation keeps the token lock a moment after writing (holdAfterRotationMs)", async () => {
    const clock = new ManualClock();
    const tab = new SharedStorageArea().openTab();
    const store = createAuthStore({ storage: tab.storage, events: tab, clock });
    const service = new RotatingService(token("a"), new Date(clock.now() + DAY).toISOString());
    const lock = inPageTokenLock();
    const keeper = new SessionKeeper({ store, lock, clock, refresh: service.refresh, holdAfterRotationMs: 250 });
    store.setSession(token("a"), humanActor(), new Date(clock.now() + DAY).toISOString());
    const rotation = keeper.rotate(true);
    let requestRan = false;
    const request = lock.shared(async () => { requestRan = true; });
    await settle(); // the refresh has answered and the token is written
    await clock.advance(249);
    assert.equal(store.getState().sessionToken, service.current, "the new token is written at once");
    assert.equal(requestRan, false, "a request waits while the lock is held");
    await clock.advance(1);
    assert.equal(await rotation, "rotated");
    await request;
    assert.equal(requestRan, true);
  });
});

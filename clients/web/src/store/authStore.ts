// The global auth state of the DAARION task (Phase 4.5, "Global auth store"):
// the session token and the ActorIdentity, persisted in localStorage and the
// same in every tab of the origin (the browser's storage events carry one
// tab's change to the others). Framework-free: React reads it through
// useAuthStore (useAuthStore.ts), anything else through subscribe().

import type { ActorIdentity, IssuedSession } from "../api/types.js";
import { type Clock, systemClock } from "../core/clock.js";
import {
  DEFAULT_STORAGE_KEY,
  isValidSessionToken,
  parsePersisted,
  type PersistedState,
  serializePersisted,
  type SessionEndReason,
  type StorageLike,
} from "./persistedSession.js";

/** The seed's interface. */
export interface AuthStore {
  sessionToken: string | null;
  actor: ActorIdentity | null;
  isAuthenticated: boolean;
  setSession: (token: string, actor: ActorIdentity, expiresAt?: string | null) => void;
  clearSession: () => void;
}

/** What a reader sees: the seed's interface and what the session keeper needs. */
export interface AuthState extends AuthStore {
  /** RFC 3339; the session's absolute end. */
  expiresAt: string | null;
  /** When the current token was issued (sign-in or rotation), ms since the epoch. */
  issuedAt: number | null;
  /** Why the last session ended, while signed out (null when nobody signed out here yet). */
  endReason: SessionEndReason | null;
}

export interface AuthStoreHandle {
  /** The same object until something changes (what useSyncExternalStore needs). */
  getState(): AuthState;
  /** Called after every change, from this tab or another; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  setSession(token: string, actor: ActorIdentity, expiresAt?: string | null): void;
  clearSession(reason?: SessionEndReason): void;
  /** After a rotation of `previous`: keeps the actor. False when the store has moved on to another session. */
  replaceToken(previous: string, next: IssuedSession): boolean;
  /** A fresher ActorIdentity for the session that holds `token` (from /auth/me). */
  updateActor(token: string, actor: ActorIdentity): void;
  /** Reads localStorage again (another tab may have written without its event having arrived yet). */
  reload(): void;
  /** Stops listening to other tabs. */
  dispose(): void;
}

interface StorageEventLike {
  key: string | null;
}

export interface StorageEventSource {
  addEventListener(type: "storage", listener: (event: StorageEventLike) => void): void;
  removeEventListener(type: "storage", listener: (event: StorageEventLike) => void): void;
}

export interface AuthStoreOptions {
  /** Default: window.localStorage; null keeps the session in memory only. */
  storage?: StorageLike | null;
  storageKey?: string;
  /** Default: window (its "storage" events). */
  events?: StorageEventSource | null;
  clock?: Clock;
}

export function createAuthStore(options: AuthStoreOptions = {}): AuthStoreHandle {
  const key = options.storageKey ?? DEFAULT_STORAGE_KEY;
  const storage = options.storage === undefined ? browserStorage() : options.storage;
  const events = options.events === undefined ? browserEvents() : options.events;
  const clock = options.clock ?? systemClock;
  const listeners = new Set<() => void>();

  // Without working storage (disabled, private mode, quota) the session lives in memory.
  let memory: string | null = null;
  const read = (): string | null => {
    if (!storage) return memory;
    try {
      return storage.getItem(key);
    } catch {
      return memory;
    }
  };
  const write = (value: string) => {
    memory = value;
    try {
      storage?.setItem(key, value);
    } catch {
      // kept in memory for this tab
    }
  };

  let persisted: PersistedState = withoutExpired(parsePersisted(read()));
  let state: AuthState = snapshot(persisted);

  function snapshot(p: PersistedState): AuthState {
    const session = p.kind === "signed_in" ? p.session : null;
    return Object.freeze({
      sessionToken: session?.sessionToken ?? null,
      actor: session?.actor ?? null,
      isAuthenticated: session !== null,
      expiresAt: session?.expiresAt ?? null,
      issuedAt: session?.issuedAt ?? null,
      endReason: p.kind === "signed_out" ? p.reason : null,
      setSession,
      clearSession: () => clearSession(),
    });
  }

  // A session read back after its absolute end is over, whoever stored it.
  function withoutExpired(p: PersistedState): PersistedState {
    if (p.kind === "signed_in" && p.session.expiresAt !== null && Date.parse(p.session.expiresAt) <= clock.now()) {
      return { kind: "signed_out", reason: "expired" };
    }
    return p;
  }

  function apply(next: PersistedState, persist: boolean) {
    if (persist) write(serializePersisted(next));
    const changed = serializePersisted(next) !== serializePersisted(persisted);
    persisted = next;
    if (!changed) return;
    state = snapshot(next);
    for (const listener of [...listeners]) listener();
  }

  function setSession(token: string, actor: ActorIdentity, expiresAt: string | null = null) {
    if (!isValidSessionToken(token)) throw new TypeError("setSession: not a session token");
    apply({ kind: "signed_in", session: { sessionToken: token, actor, expiresAt, issuedAt: clock.now() } }, true);
  }

  function clearSession(reason: SessionEndReason = "signed_out") {
    apply({ kind: "signed_out", reason }, true);
  }

  function reload() {
    apply(withoutExpired(parsePersisted(read())), false);
  }

  const onStorage = (event: StorageEventLike) => {
    if (event.key === key || event.key === null) reload(); // null: localStorage.clear()
  };
  events?.addEventListener("storage", onStorage);

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setSession,
    clearSession,
    replaceToken(previous, next) {
      reload();
      if (persisted.kind !== "signed_in" || persisted.session.sessionToken !== previous) return false;
      if (!isValidSessionToken(next.session_token)) return false;
      apply({
        kind: "signed_in",
        session: { ...persisted.session, sessionToken: next.session_token, expiresAt: next.expires_at, issuedAt: clock.now() },
      }, true);
      return true;
    },
    updateActor(token, actor) {
      if (persisted.kind !== "signed_in" || persisted.session.sessionToken !== token) return;
      apply({ kind: "signed_in", session: { ...persisted.session, actor } }, true);
    },
    reload,
    dispose() {
      events?.removeEventListener("storage", onStorage);
      listeners.clear();
    },
  };
}

function browserStorage(): StorageLike | null {
  try {
    return (globalThis as { localStorage?: StorageLike }).localStorage ?? null;
  } catch {
    return null; // a SecurityError where storage is blocked
  }
}

function browserEvents(): StorageEventSource | null {
  const target = globalThis as Partial<StorageEventSource>;
  return typeof target.addEventListener === "function" && typeof target.removeEventListener === "function"
    ? (target as StorageEventSource)
    : null;
}

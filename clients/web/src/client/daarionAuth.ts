// Everything a DAARION page needs for passkey auth, wired together once per
// page: the API over HTTP, the global auth store, the token lock, the
// session keeper and the browser's ceremonies. The React hooks and
// components use one of these through AuthProvider.

import { AuthApiError, isAuthApiError } from "../api/authApiError.js";
import * as activity from "../api/auth/activity.js";
import * as enrollments from "../api/auth/enrollments.js";
import * as passkey from "../api/auth/passkey.js";
import * as passkeys from "../api/auth/passkeys.js";
import * as session from "../api/auth/session.js";
import { AuthHttp } from "../api/http.js";
import type { AccountCreated, ActorIdentity, PasskeyAdded, SignedIn } from "../api/types.js";
import type { Clock } from "../core/clock.js";
import { type AuthStoreHandle, type AuthStoreOptions, createAuthStore } from "../store/authStore.js";
import { defaultTokenLock, type TokenLock } from "../store/tokenLock.js";
import { defaultLeadership, type KeeperLeadership } from "../session/keeperLeadership.js";
import { type RotationOutcome, SessionKeeper } from "../session/sessionKeeper.js";
import { type CeremonyOptions, createPasskey, getPasskey } from "../webauthn/ceremony.js";
import { canSignal, signalAcceptedCredentials, signalUnknownCredential, signalUserDetails } from "../webauthn/signals.js";

export interface DaarionAuthOptions extends AuthStoreOptions {
  /** daarion-auth's address, e.g. "http://localhost:7011"; "" when it serves the page's own origin. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per HTTP call; default 15 s. */
  requestTimeoutMs?: number;
  /** Rotate a token older than this; default 1 hour. */
  rotateAfterMs?: number;
  /** A passkey prompt shorter than the service's timeout (60 s). */
  ceremonyTimeoutMs?: number;
  lock?: TokenLock;
  /** Which tab rotates; default: one tab of the origin, chosen with Web Locks. */
  leadership?: KeeperLeadership;
  clock?: Clock;
}

// Long enough for Chromium to copy a localStorage write to the origin's other
// tabs on a busy machine, short enough that nobody notices a request wait.
const HOLD_AFTER_ROTATION_MS = 250;

/** The steps of a registration as the onboarding scene shows them (the seed's steps 2–7). */
export type RegisterStep = "start" | "create" | "finish" | "signed_in";
/** The steps of a sign-in. */
export type SignInStep = "start" | "get" | "finish" | "signed_in";

export interface CeremonyProgress<S> extends CeremonyOptions {
  onStep?: (step: S) => void;
}

export type SignOutOutcome = "ended" | "ended_here_only";

export class DaarionAuth {
  readonly store: AuthStoreHandle;
  readonly http: AuthHttp;
  readonly keeper: SessionKeeper;
  private readonly ceremonyTimeoutMs: number | undefined;
  private started = false;

  constructor(options: DaarionAuthOptions) {
    this.store = createAuthStore(options);
    const lock = options.lock ?? defaultTokenLock();
    const store = this.store;
    this.http = new AuthHttp({
      baseUrl: options.baseUrl,
      lock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
      tokens: {
        currentToken: () => store.getState().sessionToken,
        sessionEnded: (token, code) => {
          store.reload();
          if (store.getState().sessionToken === token) store.clearSession(code);
        },
      },
    });
    this.keeper = new SessionKeeper({
      store,
      lock,
      refresh: (token) => session.refreshSession(this.http, token),
      leadership: options.leadership ?? defaultLeadership(),
      holdAfterRotationMs: HOLD_AFTER_ROTATION_MS,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.rotateAfterMs ? { rotateAfterMs: options.rotateAfterMs } : {}),
    });
    this.ceremonyTimeoutMs = options.ceremonyTimeoutMs;
  }

  /** Starts rotating the token and checks a stored session with the service (GET /auth/me). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.keeper.start();
    if (this.store.getState().isAuthenticated) void this.refreshActor().catch(() => {});
  }

  stop(): void {
    this.started = false;
    this.keeper.stop();
  }

  /** Onboarding: a new account with a passkey, signed in at once. */
  async signUp(account: { username: string; displayName?: string }, progress: CeremonyProgress<RegisterStep> = {}): Promise<AccountCreated> {
    const body = account.displayName ? { username: account.username, display_name: account.displayName } : { username: account.username };
    return this.registerSignedIn(body, progress);
  }

  /** An enrollment link (recovery or invite): a passkey for that account, signed in at once. */
  async enroll(enrollmentToken: string, progress: CeremonyProgress<RegisterStep> = {}): Promise<AccountCreated> {
    return this.registerSignedIn({ enrollment_token: enrollmentToken }, progress);
  }

  /** Another passkey for the signed-in person's account. */
  async addPasskey(input: { deviceName?: string } = {}, progress: CeremonyProgress<RegisterStep> = {}): Promise<PasskeyAdded> {
    progress.onStep?.("start");
    const options = await passkey.registerStart(this.http, input.deviceName ? { device_name: input.deviceName } : {});
    progress.onStep?.("create");
    const response = await createPasskey(options, this.ceremony(progress));
    progress.onStep?.("finish");
    const finished = await passkey.registerFinish(this.http, response, {
      forCaller: true,
      ...(input.deviceName ? { deviceName: input.deviceName } : {}),
    });
    return { credential: finished.credential };
  }

  /** Sign-in with a passkey: username first, or none for a discoverable passkey. */
  async signIn(input: { username?: string } = {}, progress: CeremonyProgress<SignInStep> = {}): Promise<SignedIn> {
    progress.onStep?.("start");
    const options = await passkey.authenticateStart(this.http, input.username ? { username: input.username } : {});
    progress.onStep?.("get");
    const response = await getPasskey(options, this.ceremony(progress));
    return this.finishSignIn(response, progress);
  }

  /**
   * Sign-in through autofill (conditional mediation): pending until the
   * person picks a passkey in a field with autocomplete="username webauthn",
   * or until `signal` aborts or another ceremony starts.
   */
  async signInWithAutofill(progress: CeremonyProgress<SignInStep> = {}): Promise<SignedIn> {
    progress.onStep?.("start");
    const options = await passkey.authenticateStart(this.http, {}, progress.signal);
    progress.onStep?.("get");
    const response = await getPasskey(options, { ...(progress.signal ? { signal: progress.signal } : {}), autofill: true });
    return this.finishSignIn(response, progress);
  }

  /** Ends the session on the service (or every session with `everywhere`) and here. */
  async signOut(options: { everywhere?: boolean } = {}): Promise<SignOutOutcome> {
    const token = this.store.getState().sessionToken;
    let outcome: SignOutOutcome = "ended";
    if (token) {
      try {
        await session.logout(this.http, { token, ...(options.everywhere ? { everywhere: true } : {}) });
      } catch (error) {
        // already over on the service (invalid_session, token_reused) is fine; anything else: ended here only
        if (!isAuthApiError(error, "invalid_session", "token_reused", "unauthenticated")) outcome = "ended_here_only";
      }
    }
    this.store.clearSession("signed_out");
    return outcome;
  }

  /** GET /auth/me: a fresher ActorIdentity for the store (null when signed out). */
  async refreshActor(): Promise<ActorIdentity | null> {
    const token = this.store.getState().sessionToken;
    if (!token) return null;
    const actor = await session.me(this.http);
    this.store.updateActor(token, actor);
    return actor;
  }

  /**
   * Tells the browser's passkey providers which passkeys the signed-in
   * account has (WebAuthn L3 signalAllAcceptedCredentials), so they drop the
   * ones it no longer accepts. Done after every sign-in and passkey removal;
   * resolves to whether the browser took it (false where it cannot, or when
   * the list could not be read). Never throws.
   */
  async syncPasskeyProviders(): Promise<boolean> {
    if (!canSignal("signalAllAcceptedCredentials")) return false;
    try {
      return await signalAcceptedCredentials(await passkeys.passkeyList(this.http));
    } catch {
      return false;
    }
  }

  /** Rotates the session token now (it is also done on a schedule). */
  rotateToken(): Promise<RotationOutcome> {
    return this.keeper.rotate(true);
  }

  // ---- the rest of the API, bound to this page's HTTP and session ----------------
  readonly api = {
    me: () => session.me(this.http),
    /**
     * Puts the new name in the store (every tab shows it) and tells the browser's passkey providers
     * (WebAuthn L3 signalCurrentUserDetails).
     */
    updateMe: async (changes: { display_name: string }) => {
      const token = this.store.getState().sessionToken;
      const actor = await session.updateMe(this.http, changes);
      if (token) this.store.updateActor(token, actor);
      await this.signalNames(actor);
      return actor;
    },
    listSessions: () => session.listSessions(this.http),
    endSession: (id: string) => session.endSession(this.http, id),
    listPasskeys: () => passkeys.listPasskeys(this.http),
    renamePasskey: (id: string, deviceName: string) => passkeys.renamePasskey(this.http, id, deviceName),
    /** Then tells the browser's passkey providers to drop it (see syncPasskeyProviders). */
    deletePasskey: async (id: string) => {
      await passkeys.deletePasskey(this.http, id);
      await this.syncPasskeyProviders();
    },
    listEnrollments: () => enrollments.listEnrollments(this.http),
    cancelEnrollment: (id: string) => enrollments.cancelEnrollment(this.http, id),
    listActivity: (page?: { limit?: number; before?: number | string }) => activity.listActivity(this.http, page),
  };

  private async registerSignedIn(
    body: { username: string; display_name?: string } | { enrollment_token: string },
    progress: CeremonyProgress<RegisterStep>,
  ): Promise<AccountCreated> {
    progress.onStep?.("start");
    const options = await passkey.registerStart(this.http, body);
    progress.onStep?.("create");
    const response = await createPasskey(options, this.ceremony(progress));
    progress.onStep?.("finish");
    const finished = await passkey.registerFinish(this.http, response);
    if (!("session_token" in finished)) {
      throw new AuthApiError({ code: "bad_response", status: 200, message: "registration answered without a session" });
    }
    this.store.setSession(finished.session_token, finished.actor, finished.expires_at);
    progress.onStep?.("signed_in");
    return finished;
  }

  private async finishSignIn(
    response: Parameters<typeof passkey.authenticateFinish>[1],
    progress: CeremonyProgress<SignInStep>,
  ): Promise<SignedIn> {
    progress.onStep?.("finish");
    let signedIn: SignedIn;
    try {
      signedIn = await passkey.authenticateFinish(this.http, response);
    } catch (error) {
      // The service does not know this passkey: the browser should stop offering it.
      if (isAuthApiError(error, "unknown_credential")) void signalUnknownCredential(error.details);
      throw error;
    }
    this.store.setSession(signedIn.session_token, signedIn.actor, signedIn.expires_at);
    progress.onStep?.("signed_in");
    void this.syncPasskeyProviders(); // in the background: the sign-in does not wait for it
    return signedIn;
  }

  private async signalNames(actor: ActorIdentity): Promise<void> {
    if (!canSignal("signalCurrentUserDetails") || !actor.username) return;
    try {
      // The list names the account's RP ID and user handle, which the signal needs.
      const account = await passkeys.passkeyList(this.http);
      await signalUserDetails(account, { username: actor.username, displayName: actor.display_name ?? actor.username });
    } catch {
      // the name changed; telling the browser is a courtesy
    }
  }

  private ceremony(progress: CeremonyOptions): CeremonyOptions {
    const timeoutMs = progress.timeoutMs ?? this.ceremonyTimeoutMs;
    return {
      ...(progress.signal ? { signal: progress.signal } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
  }
}

export function createDaarionAuth(options: DaarionAuthOptions): DaarionAuth {
  return new DaarionAuth(options);
}


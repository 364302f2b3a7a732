// Keeps the stored session usable: rotates its token on a schedule (a copied
// token stops working soon; a rotation also counts as activity against the
// service's idle timeout) and signs out at the session's absolute end, which
// no rotation moves (the service keeps the family's expiry).
//
// Every open tab runs a keeper; one of them leads (keeperLeadership.ts) and
// rotates, every one signs its tab out at the end. A rotation holds the
// token lock exclusive a moment longer than the call (holdAfterRotationMs),
// so that the other tabs' copies of localStorage have the new token before
// their next request takes the lock shared.

import { isAuthApiError } from "../api/authApiError.js";
import type { IssuedSession } from "../api/types.js";
import { type Clock, LONGEST_TIMER_MS, systemClock, type TimerHandle } from "../core/clock.js";
import type { AuthStoreHandle } from "../store/authStore.js";
import type { TokenLock } from "../store/tokenLock.js";
import { type KeeperLeadership, soleLeadership } from "./keeperLeadership.js";

export interface SessionKeeperOptions {
  store: AuthStoreHandle;
  /** POST /auth/session/refresh with exactly this token. */
  refresh: (token: string) => Promise<IssuedSession>;
  lock: TokenLock;
  clock?: Clock;
  /** A token older than this is rotated. Default 1 hour. */
  rotateAfterMs?: number;
  /** After a failed rotation (network, service down), try again after this. Default 1 minute. */
  retryAfterMs?: number;
  /** Which tab rotates; default: this one alone. */
  leadership?: KeeperLeadership;
  /** Keep the token lock this long after writing a rotated token. Default 0. */
  holdAfterRotationMs?: number;
}

export type RotationOutcome = "rotated" | "not_due" | "signed_out" | "failed";

export class SessionKeeper {
  private readonly store: AuthStoreHandle;
  private readonly refresh: (token: string) => Promise<IssuedSession>;
  private readonly lock: TokenLock;
  private readonly clock: Clock;
  private readonly rotateAfterMs: number;
  private readonly retryAfterMs: number;
  private readonly leadership: KeeperLeadership;
  private readonly holdAfterRotationMs: number;
  private timer: TimerHandle | null = null;
  private retryAt: number | null = null;
  private unsubscribe: (() => void) | null = null;
  private leading = false;
  private resign: (() => void) | null = null;

  constructor(options: SessionKeeperOptions) {
    this.store = options.store;
    this.refresh = options.refresh;
    this.lock = options.lock;
    this.clock = options.clock ?? systemClock;
    this.rotateAfterMs = options.rotateAfterMs ?? 60 * 60 * 1000;
    this.retryAfterMs = options.retryAfterMs ?? 60 * 1000;
    this.leadership = options.leadership ?? soleLeadership;
    this.holdAfterRotationMs = options.holdAfterRotationMs ?? 0;
  }

  /** Whether this tab's keeper rotates the token (the others only sign out at the end). */
  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe(() => {
      this.retryAt = null;
      this.schedule();
    });
    this.resign = this.leadership.request(() => {
      if (!this.unsubscribe) return;
      this.leading = true;
      this.store.reload(); // what the previous leader wrote last
      this.schedule();
    });
    this.schedule();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.resign?.();
    this.resign = null;
    this.leading = false;
    this.cancelTimer();
  }

  /** Rotates now if the token is due (or `force`), under the token lock. */
  async rotate(force = false): Promise<RotationOutcome> {
    const outcome = await this.lock.exclusive(async (): Promise<RotationOutcome> => {
      this.store.reload(); // another tab may have rotated just now
      const { sessionToken, issuedAt } = this.store.getState();
      if (!sessionToken) return "signed_out";
      if (!force && issuedAt !== null && issuedAt + this.rotateAfterMs > this.clock.now()) return "not_due";
      try {
        const next = await this.refresh(sessionToken);
        this.store.replaceToken(sessionToken, next);
        if (this.holdAfterRotationMs > 0) {
          await new Promise<void>((resolve) => this.clock.setTimer(resolve, this.holdAfterRotationMs));
        }
        return "rotated";
      } catch (error) {
        // invalid_session and token_reused have cleared the store already (the HTTP layer reports them)
        if (isAuthApiError(error, "invalid_session", "token_reused")) return "signed_out";
        return "failed";
      }
    });
    this.retryAt = outcome === "failed" ? this.clock.now() + this.retryAfterMs : null;
    this.schedule();
    return outcome;
  }

  private schedule(): void {
    this.cancelTimer();
    if (!this.unsubscribe) return;
    const { isAuthenticated, expiresAt, issuedAt } = this.store.getState();
    if (!isAuthenticated) return;
    const now = this.clock.now();
    const endsAt = expiresAt === null ? Infinity : Date.parse(expiresAt);
    if (endsAt <= now) {
      this.store.clearSession("expired");
      return;
    }
    const rotateAt = !this.leading ? Infinity : this.retryAt ?? (issuedAt ?? now) + this.rotateAfterMs;
    const next = Math.min(endsAt, rotateAt);
    if (!Number.isFinite(next)) return;
    const delay = Math.min(Math.max(next - now, 0), LONGEST_TIMER_MS);
    this.timer = this.clock.setTimer(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = null;
    const { expiresAt, issuedAt } = this.store.getState();
    const now = this.clock.now();
    if (expiresAt !== null && Date.parse(expiresAt) <= now) {
      this.store.clearSession("expired");
      return;
    }
    const due = this.retryAt !== null ? this.retryAt <= now : issuedAt === null || issuedAt + this.rotateAfterMs <= now;
    if (due && this.leading) void this.rotate();
    else this.schedule(); // woke early (a long wait done in steps)
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }
}

// The one source of time and timers for the store and the session keeper, so
// that tests move time instead of waiting for it.

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** setTimeout fires at once for delays past 2^31 - 1 ms (~24.8 days); longer waits are done in steps. */
export const LONGEST_TIMER_MS = 2_147_483_647;

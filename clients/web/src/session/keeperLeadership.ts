// Which tab rotates the token: exactly one of the origin's tabs at a time,
// chosen with an exclusive Web Lock held for as long as that tab's keeper
// runs (when the tab closes, the next one waiting takes over).
//
// Why one: every open tab's timer comes due at the same moment, and a tab
// may learn of another tab's rotation (localStorage is copied between tabs
// asynchronously) only after it has taken the token lock itself; it would
// then rotate the old token again, which the service takes for a stolen
// copy and answers by ending the session (token_reused). The tab that
// rotates only ever presents the token it wrote itself.

export interface KeeperLeadership {
  /** Asks to lead; `onLead` runs once granted. The returned function gives it up (or withdraws the request). */
  request(onLead: () => void): () => void;
}

interface LockManagerLike {
  request(name: string, options: { mode: "exclusive"; signal?: AbortSignal }, callback: () => Promise<void>): Promise<void>;
}

export function webLocksLeadership(name: string, locks: LockManagerLike): KeeperLeadership {
  return {
    request(onLead) {
      const withdraw = new AbortController();
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      locks
        .request(name, { mode: "exclusive", signal: withdraw.signal }, async () => {
          onLead();
          await held;
        })
        .catch(() => {}); // withdrawn before it was granted
      return () => {
        withdraw.abort();
        release();
      };
    },
  };
}

/** One page alone (no Web Locks, or Node): it always leads. */
export const soleLeadership: KeeperLeadership = {
  request(onLead) {
    onLead();
    return () => {};
  },
};

/** Web Locks where the browser has them, else this page leads alone. */
export function defaultLeadership(name = "daarion-auth-session-keeper"): KeeperLeadership {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks && typeof locks.request === "function" ? webLocksLeadership(name, locks) : soleLeadership;
}

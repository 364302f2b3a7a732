// Keeps a token rotation apart from every request that sends the token.
//
// The service treats a rotated-out token as stolen: presenting it again ends
// the whole session (token_reused). So while one tab rotates, no tab may have
// a request with the old token on its way, and two tabs must never rotate the
// same token. Requests hold the lock shared, a rotation holds it exclusive.
// Across tabs this is the Web Locks API (navigator.locks); where it is
// missing (old browsers, Node) the lock covers this page only.

export interface TokenLock {
  /** For a request that sends the current token: many at once, never during a rotation. */
  shared<T>(work: () => Promise<T>): Promise<T>;
  /** For a rotation: alone, in every tab of the origin. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

interface LockManagerLike {
  request<T>(name: string, options: { mode: "shared" | "exclusive" }, callback: () => Promise<T>): Promise<T>;
}

export function webLocksTokenLock(name: string, locks: LockManagerLike): TokenLock {
  return {
    shared: (work) => locks.request(name, { mode: "shared" }, work),
    exclusive: (work) => locks.request(name, { mode: "exclusive" }, work),
  };
}

/** A readers-writer lock for this page alone; a waiting writer goes before later readers. */
export function inPageTokenLock(): TokenLock {
  let readers = 0;
  let writing = false;
  const queue: { exclusive: boolean; start: () => void }[] = [];

  const pump = () => {
    while (queue.length > 0 && !writing) {
      const next = queue[0]!;
      if (next.exclusive) {
        if (readers > 0) return;
        writing = true;
      } else {
        readers++;
      }
      queue.shift();
      next.start();
    }
  };

  const run = <T>(exclusive: boolean, work: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({
        exclusive,
        start: () => {
          let result: Promise<T>;
          try {
            result = work();
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(resolve, reject).finally(() => {
            if (exclusive) writing = false;
            else readers--;
            pump();
          });
        },
      });
      pump();
    });

  return { shared: (work) => run(false, work), exclusive: (work) => run(true, work) };
}

/** Web Locks where the browser has them, else a lock for this page. */
export function defaultTokenLock(name = "daarion-auth-session-token"): TokenLock {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return locks && typeof locks.request === "function" ? webLocksTokenLock(name, locks) : inPageTokenLock();
}

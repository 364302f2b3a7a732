// Leadership among the tabs of one test, as the browser's exclusive Web Lock
// gives it: the first to ask leads, the rest wait in order and take over
// when the leader gives up.

import type { KeeperLeadership } from "../../src/session/keeperLeadership.js";

export function sharedLeadership(): KeeperLeadership {
  const waiting: { onLead: () => void }[] = [];
  let leader: { onLead: () => void } | null = null;
  const next = () => {
    if (leader === null && waiting.length > 0) {
      leader = waiting.shift()!;
      leader.onLead();
    }
  };
  return {
    request(onLead) {
      const entry = { onLead };
      waiting.push(entry);
      next();
      return () => {
        const index = waiting.indexOf(entry);
        if (index >= 0) waiting.splice(index, 1);
        if (leader === entry) {
          leader = null;
          next();
        }
      };
    },
  };
}

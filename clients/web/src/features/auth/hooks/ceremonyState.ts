// What the passkey hooks share: a ceremony's status, its step, its failure,
// and one AbortController per running ceremony (cancelled on unmount).

import { useCallback, useEffect, useRef, useState } from "react";
import { classifyCeremonyError, PasskeyFailure } from "../../../webauthn/passkeyFailure.js";

export type CeremonyStatus = "idle" | "working" | "done" | "failed";

export interface CeremonyState<S, R> {
  status: CeremonyStatus;
  step: S | null;
  /** Why the last attempt failed; kind "cancelled" or "timed_out" is no fault, just try again. */
  error: PasskeyFailure | null;
  result: R | null;
}

export function useCeremony<S, R>() {
  const [state, setState] = useState<CeremonyState<S, R>>({ status: "idle", step: null, error: null, result: null });
  const controller = useRef<AbortController | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      controller.current?.abort();
    };
  }, []);

  const run = useCallback(async (work: (signal: AbortSignal, onStep: (step: S) => void) => Promise<R>): Promise<R | null> => {
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    const update = (next: CeremonyState<S, R>) => {
      if (mounted.current && controller.current === own) setState(next);
    };
    update({ status: "working", step: null, error: null, result: null });
    let step: S | null = null;
    try {
      const result = await work(own.signal, (next) => {
        step = next;
        update({ status: "working", step: next, error: null, result: null });
      });
      update({ status: "done", step, error: null, result });
      return result;
    } catch (error) {
      update({ status: "failed", step, error: classifyCeremonyError(error, { timedOut: false, elapsedMs: 0, timeoutMs: Infinity }), result: null });
      return null;
    } finally {
      if (controller.current === own) controller.current = null;
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  const reset = useCallback(() => {
    controller.current?.abort();
    controller.current = null;
    setState({ status: "idle", step: null, error: null, result: null });
  }, []);

  return { state, run, cancel, reset };
}

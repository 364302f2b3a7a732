// The global auth store in React: re-renders on every change, also one made
// in another tab.

import { useSyncExternalStore } from "react";
import { useDaarionAuth } from "../features/auth/AuthProvider.js";
import type { AuthState } from "./authStore.js";

export function useAuthStore(): AuthState;
export function useAuthStore<T>(selector: (state: AuthState) => T): T;
export function useAuthStore<T>(selector?: (state: AuthState) => T): AuthState | T {
  const { store } = useDaarionAuth();
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  return selector ? selector(state) : state;
}

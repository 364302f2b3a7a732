// The guard of the DAARION task's pages (/city-v2, /space, /messenger,
// /agent-hub): a visitor who is not signed in goes to /onboarding, which can
// send them back afterwards (returnPath). It follows the store, so a
// sign-out in another tab sends this one to /onboarding too.

import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useAuthStore } from "../../store/useAuthStore.js";

/** The pages the DAARION task puts behind sign-in. */
export const GUARDED_PAGES = ["/city-v2", "/space", "/messenger", "/agent-hub"] as const;

export function RequireAuth({ children, redirectTo = "/onboarding" }: { children?: ReactNode; redirectTo?: string }) {
  const isAuthenticated = useAuthStore((s) => s.isAuthenticated);
  const location = useLocation();
  if (!isAuthenticated) {
    return <Navigate to={redirectTo} replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return <>{children}</>;
}

/** Where RequireAuth came from (a path of this site), or `fallback`. */
export function returnPath(state: unknown, fallback = "/city-v2"): string {
  const from = (state as { from?: unknown } | null)?.from;
  // only a path on this site: never "//other.example" or "https://…"
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") ? from : fallback;
}

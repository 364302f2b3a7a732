// Puts one DaarionAuth in React's context, and runs it (token rotation, the
// stored session checked with /auth/me) while the provider is mounted.

import { createContext, type ReactNode, useContext, useEffect } from "react";
import type { DaarionAuth } from "../../client/daarionAuth.js";

const AuthContext = createContext<DaarionAuth | null>(null);

export function AuthProvider({ auth, children }: { auth: DaarionAuth; children?: ReactNode }) {
  useEffect(() => {
    auth.start();
    return () => auth.stop();
  }, [auth]);
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

/** The page's DaarionAuth (API, store, ceremonies). Only inside <AuthProvider>. */
export function useDaarionAuth(): DaarionAuth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useDaarionAuth: no <AuthProvider> above this component");
  return auth;
}

import { PasskeyScene, returnPath, useAuthStore } from "@daarion/auth-client/react";
import { useCallback } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";

export function OnboardingPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const isAuthenticated = useAuthStore((s) => s.isAuthenticated);
  const target = returnPath(location.state);
  const onSignedIn = useCallback(() => navigate(target, { replace: true }), [navigate, target]);
  // Signed in already (or just now, in another tab): on to where the visitor was going.
  if (isAuthenticated) return <Navigate to={target} replace />;
  return <PasskeyScene onSignedIn={onSignedIn} />;
}

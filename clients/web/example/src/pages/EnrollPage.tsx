// An enrollment link (recovery or invite): /enroll#token=de_…. The token is
// read once and taken out of the address bar at once.

import { forgetFragment, readEnrollmentToken } from "@daarion/auth-client";
import { PasskeyScene } from "@daarion/auth-client/react";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";

export function EnrollPage() {
  const [token, setToken] = useState(() => readEnrollmentToken(window.location.hash));
  const navigate = useNavigate();
  useEffect(() => {
    forgetFragment();
    // Another link opened in this tab changes only the fragment: no new page
    // is loaded, so read it again (never send the previous link's token).
    const reread = () => {
      if (window.location.hash === "") return;
      setToken(readEnrollmentToken(window.location.hash));
      forgetFragment();
    };
    window.addEventListener("hashchange", reread);
    return () => window.removeEventListener("hashchange", reread);
  }, []);
  if (!token) {
    return <p role="alert">This link is incomplete. Open the whole link you were sent, or ask for a new one.</p>;
  }
  // Keyed by the token: a new link starts a fresh scene, without the last one's error.
  return (
    <PasskeyScene key={token} enrollmentToken={token} onSignedIn={() => navigate("/city-v2", { replace: true })} />
  );
}

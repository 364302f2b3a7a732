// An enrollment link (recovery or invite): /enroll#token=de_…. The token is
// read once and taken out of the address bar at once.

import { forgetFragment, readEnrollmentToken } from "@daarion/auth-client";
import { PasskeyScene } from "@daarion/auth-client/react";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";

export function EnrollPage() {
  const [token] = useState(() => readEnrollmentToken(window.location.hash));
  const navigate = useNavigate();
  useEffect(() => forgetFragment(), []);
  if (!token) {
    return <p role="alert">This link is incomplete. Open the whole link you were sent, or ask for a new one.</p>;
  }
  return <PasskeyScene enrollmentToken={token} onSignedIn={() => navigate("/city-v2", { replace: true })} />;
}

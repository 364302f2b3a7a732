// Who is signed in, on every page: the global auth state as a person sees it.

import { GUARDED_PAGES, useAuthStore, useDaarionAuth } from "@daarion/auth-client/react";
import { useState } from "react";
import { NavLink } from "react-router";

const endReasons = {
  signed_out: "You signed out.",
  invalid_session: "Your session has ended. Please sign in again.",
  token_reused: "Your session was ended for safety. Please sign in again.",
  expired: "Your session has expired. Please sign in again.",
} as const;

export function Header() {
  const auth = useDaarionAuth();
  const { isAuthenticated, actor, endReason } = useAuthStore();
  const [note, setNote] = useState<string | null>(null);

  const signOut = async () => {
    const outcome = await auth.signOut();
    setNote(outcome === "ended" ? null : "Signed out here; the service could not be reached to end the session.");
  };

  return (
    <header>
      <strong>DAARION</strong>
      <nav>
        {GUARDED_PAGES.map((path) => <NavLink key={path} to={path}>{path.slice(1)}</NavLink>)}
        <NavLink to="/account">account</NavLink>
      </nav>
      <p id="status" data-auth={isAuthenticated ? "signed-in" : "signed-out"}>
        {isAuthenticated
          ? <>Signed in as <b>{actor?.display_name || actor?.username}</b> (@{actor?.username})</>
          : endReason ? endReasons[endReason] : "Not signed in."}
      </p>
      {isAuthenticated && <button type="button" onClick={() => void signOut()} data-action="sign-out">Sign out</button>}
      {note && <p role="alert">{note}</p>}
    </header>
  );
}

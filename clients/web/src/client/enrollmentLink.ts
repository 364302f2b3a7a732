// An enrollment link (recovery or invite) is PUBLIC_URL/enroll#token=de_…:
// the token travels in the fragment, so it never reaches a server log or a
// Referer. The page should take it out of the address bar once read
// (forgetFragment), so that it is not kept in history or bookmarks either.

const TOKEN_PATTERN = /^de_[A-Za-z0-9_-]{16,128}$/;

export function isEnrollmentToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** The token of a "#token=de_…" fragment; null when there is no well-formed one. */
export function readEnrollmentToken(hash: string = globalThis.location?.hash ?? ""): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token !== null && isEnrollmentToken(token) ? token : null;
}

/** Removes the fragment from the address bar without a navigation. */
export function forgetFragment(): void {
  const { location, history } = globalThis;
  if (!location || !history || location.hash === "") return;
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
}

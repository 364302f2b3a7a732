// The DAARION passkey demo: a reference client for daarion-authd's HTTP API
// (docs/openapi.yaml), in plain browser JavaScript with no library.
// The browser's own WebAuthn JSON methods do every conversion:
// PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON
// turn the API's options into what navigator.credentials wants, and
// credential.toJSON() gives the RegistrationResponseJSON /
// AuthenticationResponseJSON the API takes back.
//
// How the session travels: the page keeps the session_token of a finish
// response in a variable (memory only, never localStorage, so it is gone with
// the tab) and sends it as "Authorization: Bearer". That works the same when
// the page is served by another origin, where cookies are not sent. Served by
// daarion-authd itself, fetch also sends the HttpOnly session_token cookie set
// at sign-in (fetch's default credentials mode is "same-origin"), which is
// what keeps a reloaded page signed in.
"use strict";

const apiBase = (document.querySelector('meta[name="daarion-api"]')?.content || "").replace(/\/$/, "");
let sessionToken = null;
let autofill = null; // AbortController of the pending conditional-mediation request
let upgrade = null; // AbortController of the pending conditional create (automatic passkey upgrade)
let account = null; // {rpId, userHandle, credentialIds} from GET /auth/passkeys, for the signals

const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(code, message, status, body) {
    super(message);
    this.code = code;
    this.status = status;
    this.body = body ?? {}; // the whole error body: some codes carry more (unknown_credential: credential_id, rp_id)
  }
}

// One API call. Errors come back as {"error": code, "message": text}.
// Every call that changes something says application/json, body or not: the
// service refuses one authenticated by the cookie otherwise (csrf_refused),
// as a form another site posts would be.
async function api(method, path, body) {
  const headers = {};
  if (method !== "GET") headers["Content-Type"] = "application/json";
  if (sessionToken) headers["Authorization"] = `Bearer ${sessionToken}`;
  let response;
  try {
    response = await fetch(apiBase + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    // A network failure, or a cross-origin answer the browser refused (CORS).
    throw new ApiError("network_error",
                       `${method} ${path} did not reach the API (${e.message}): it is down, ` +
                       `or it does not allow this page's origin, ${location.origin}.`, 0);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(data?.error ?? `http_${response.status}`,
                       data?.message ?? (text || response.statusText), response.status, data);
  }
  return data;
}

// ---- what the user sees ------------------------------------------------------

function setStatus(text) {
  $("status").textContent = text;
}

function showError(error) {
  const box = $("error");
  box.replaceChildren();
  if (error instanceof ApiError) {
    const code = document.createElement("code");
    code.textContent = error.code;
    box.append(code, `: ${error.message}`, error.status ? ` (HTTP ${error.status})` : "");
  } else if (error instanceof DOMException) {
    // From navigator.credentials: NotAllowedError (cancelled or timed out),
    // InvalidStateError (this authenticator already holds a passkey here), …
    const code = document.createElement("code");
    code.textContent = error.name;
    box.append("The browser stopped the passkey request: ", code, ` — ${error.message}`);
  } else {
    box.textContent = String(error?.message ?? error);
  }
  box.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").replaceChildren();
}

// Runs one user action: buttons off while it runs, its error shown after.
async function action(work) {
  clearError();
  const buttons = document.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  const statusBefore = $("status").textContent;
  try {
    await work();
  } catch (e) {
    setStatus(statusBefore); // "Waiting for…" is over; the error box says why
    if (e instanceof ApiError && e.status === 401 && !$("signed-in").hidden) {
      showSignedOut("Your session has ended. Sign in again."); // ended elsewhere, or expired
    }
    showError(e);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

// "Chrome on Linux" from a user agent string, for the sessions list.
function describeAgent(userAgent) {
  if (!userAgent) return "Unknown browser";
  const browser = ["Edg", "Firefox", "Chrome", "Safari"].find((name) => userAgent.includes(name)) ?? "A browser";
  const system = ["Android", "iPhone", "Windows", "Mac OS", "Linux"].find((name) => userAgent.includes(name));
  const shown = browser === "Edg" ? "Edge" : browser;
  return system ? `${shown} on ${system.replace("Mac OS", "macOS")}` : shown;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "never";
}

// ---- keeping passkey providers in step with the account (WebAuthn L3 signals) ----
// Each signal is feature-detected and silent: a browser without it, or one
// that declines, changes nothing here. The browser passes them on to the
// person's passkey providers, which drop or rename what they hold.

function signal(name, options) {
  const method = window.PublicKeyCredential?.[name];
  if (typeof method !== "function") return;
  method.call(PublicKeyCredential, options).catch(() => {});
}

// After a sign-in and after a passkey is deleted: every passkey this account
// still has, so a provider forgets the others (deleted here, on another device).
function signalAcceptedCredentials() {
  if (!account) return;
  signal("signalAllAcceptedCredentials", {
    rpId: account.rpId, userId: account.userHandle, allAcceptedCredentialIds: account.credentialIds,
  });
}

// After the display name changed: the names a provider shows for this
// account's passkeys (its account chooser, its list of saved passkeys).
function signalUserDetails(me) {
  if (!account) return;
  signal("signalCurrentUserDetails", {
    rpId: account.rpId, userId: account.userHandle, name: me.username, displayName: me.display_name || me.username,
  });
}

// A sign-in with a passkey this service does not know (deleted, or never
// registered): the error names it, so the provider stops offering it.
function signalUnknownCredential(error) {
  const { credential_id: credentialId, rp_id: rpId } = error.body ?? {};
  if (typeof credentialId === "string" && typeof rpId === "string") {
    signal("signalUnknownCredential", { rpId, credentialId });
  }
}

// ---- ceremonies ----------------------------------------------------------------

// Only one WebAuthn request may be pending: a button's ceremony first ends
// the background ones (autofill while signed out, the passkey upgrade while
// signed in).
function stopAutofill() {
  if (autofill) {
    autofill.abort();
    autofill = null;
  }
  if (upgrade) {
    upgrade.abort();
    upgrade = null;
  }
}

async function createPasskey(startBody) {
  stopAutofill();
  const options = await api("POST", "/auth/passkey/register/start", startBody);
  setStatus("Waiting for your authenticator…");
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
  });
  const response = credential.toJSON();
  if (startBody.device_name) response.device_name = startBody.device_name;
  return api("POST", "/auth/passkey/register/finish", response);
}

async function getPasskey(startBody, mediation) {
  const options = await api("POST", "/auth/passkey/authenticate/start", startBody);
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
    mediation,
  });
  return finishSignIn(credential);
}

async function finishSignIn(credential) {
  try {
    return await api("POST", "/auth/passkey/authenticate/finish", credential.toJSON());
  } catch (e) {
    if (e instanceof ApiError && e.code === "unknown_credential") signalUnknownCredential(e);
    throw e;
  }
}

async function signUp() {
  const username = $("sign-up-username").value.trim();
  const displayName = $("sign-up-display-name").value.trim();
  const body = { username };
  if (displayName) body.display_name = displayName;
  setStatus("Creating your account…");
  const result = await createPasskey(body);
  sessionToken = result.session_token; // the onboarding flow signs in at once
  await showSignedIn(`Account created. Welcome, ${result.actor?.display_name || username}!`);
}

async function signIn(username) {
  stopAutofill();
  setStatus("Waiting for your passkey…");
  const result = await getPasskey(username ? { username } : {}, "optional");
  sessionToken = result.session_token;
  await showSignedIn("Signed in.", { afterSignIn: true });
}

// Passkey autofill: a conditional request stays pending while the page is
// signed out; the browser offers the site's passkeys in the username field
// and resolves it when the user picks one.
async function startAutofill() {
  if (!window.PublicKeyCredential?.isConditionalMediationAvailable ||
      !(await PublicKeyCredential.isConditionalMediationAvailable())) {
    $("autofill-state").textContent = "This browser cannot offer passkeys in the username field.";
    $("autofill-state").dataset.state = "unavailable";
    return;
  }
  stopAutofill();
  const controller = new AbortController();
  autofill = controller;
  try {
    const options = await api("POST", "/auth/passkey/authenticate/start", {});
    if (controller.signal.aborted) return;
    $("autofill-state").textContent = "Your passkeys for this site are offered in the username field.";
    $("autofill-state").dataset.state = "pending";
    const credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
      mediation: "conditional",
      signal: controller.signal,
    });
    autofill = null;
    await action(async () => {
      try {
        const result = await finishSignIn(credential);
        sessionToken = result.session_token;
        await showSignedIn("Signed in with passkey autofill.", { afterSignIn: true });
      } catch (e) {
        // The page sat open past the challenge's lifetime: offer the passkeys again.
        if (e.code === "challenge_invalid") startAutofill();
        throw e;
      }
    });
  } catch (e) {
    if (controller.signal.aborted || e.name === "AbortError") return; // a button took over
    autofill = null;
    showError(e);
  } finally {
    if (autofill === controller || autofill === null) delete $("autofill-state").dataset.state;
  }
}

// Automatic passkey upgrade (WebAuthn L3 conditional create): after a sign-in,
// where the browser says it can, ask it to save a passkey for this account
// without a prompt. The browser decides whether and when (its own passkey
// provider, usually after it recently signed the person in), so the request
// waits in the background like autofill does; a button's ceremony or
// signing out ends it. Resolves once the request is pending.
async function startUpgrade() {
  const state = $("upgrade-state");
  delete state.dataset.state;
  state.textContent = "";
  let capabilities = {};
  try {
    capabilities = (await PublicKeyCredential.getClientCapabilities?.()) ?? {};
  } catch {
    capabilities = {};
  }
  if (!capabilities.conditionalCreate) {
    state.dataset.state = "unavailable";
    return;
  }
  stopAutofill();
  const controller = new AbortController();
  upgrade = controller;
  let options;
  try {
    options = await api("POST", "/auth/passkey/register/start", { conditional: true });
  } catch {
    if (upgrade === controller) upgrade = null;
    state.dataset.state = "refused"; // e.g. the service requires user verification
    return;
  }
  if (controller.signal.aborted) return;
  state.dataset.state = "pending";
  state.textContent = "Your browser may save a passkey for this account on its own.";
  finishUpgrade(controller, options); // in the background
}

async function finishUpgrade(controller, options) {
  const state = $("upgrade-state");
  try {
    const credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
      mediation: "conditional",
      signal: controller.signal,
    });
    if (upgrade === controller) upgrade = null;
    await api("POST", "/auth/passkey/register/finish", credential.toJSON());
    state.dataset.state = "done";
    state.textContent = "";
    await renderPasskeys();
    setStatus("Your browser saved a passkey for this account.");
  } catch {
    // Declined, aborted by a button, or refused: nothing was promised, nothing to say.
    if (upgrade === controller) upgrade = null;
    if (state.dataset.state === "pending") {
      delete state.dataset.state;
      state.textContent = "";
    }
  }
}

// ---- signed-in views -------------------------------------------------------------

// `afterSignIn`: a sign-in ceremony just ended (not a sign-up or a reload):
// tell the browser which passkeys the account has, and offer the upgrade.
async function showSignedIn(message, { afterSignIn = false } = {}) {
  stopAutofill();
  showIdentity(await api("GET", "/auth/me"));
  $("signed-out").hidden = true;
  $("enroll").hidden = true;
  $("signed-in").hidden = false;
  await Promise.all([renderPasskeys(), renderSessions(), renderEnrollments(), renderActivity()]);
  if (afterSignIn) {
    signalAcceptedCredentials();
    await startUpgrade();
  }
  setStatus(message);
}

function showIdentity(me) {
  $("who").textContent = `Signed in as ${me.display_name || me.username} (${me.username})`;
  $("me").textContent = JSON.stringify(me, null, 2);
  $("display-name").value = me.display_name ?? "";
}

// Still signed in? False once the service ended this session (elsewhere, or
// a recovery link used on another device).
async function sessionIsLive() {
  try {
    await api("GET", "/auth/me");
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return false;
    throw e;
  }
}

async function checkSession() {
  if ($("signed-in").hidden) return;
  try {
    if (!(await sessionIsLive())) showSignedOut("Your session has ended. Sign in again.");
  } catch {
    // unreachable for now: the next action will say so
  }
}

function showSignedOut(message) {
  stopAutofill(); // and the upgrade
  account = null;
  delete $("upgrade-state").dataset.state;
  $("upgrade-state").textContent = "";
  sessionToken = null;
  $("enroll").hidden = true;
  $("signed-in").hidden = true;
  $("signed-out").hidden = false;
  $("who").textContent = "";
  $("me").textContent = "";
  $("display-name").value = "";
  setStatus(message);
  startAutofill();
}

function listOf(data, key) {
  return Array.isArray(data) ? data : (data?.[key] ?? []);
}

// The model's icon for light or dark pages (data: URIs the service checked),
// or a plain key when the model is unknown.
const UNKNOWN_AUTHENTICATOR_ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#5b6275" stroke-width="2">' +
      '<circle cx="8" cy="12" r="4"/><path d="M12 12h9M18 12v3M15 12v2"/></svg>',
  );
function authenticatorIcon(authenticator) {
  const picture = document.createElement("picture");
  picture.className = "authenticator";
  const light = authenticator?.icon_light, dark = authenticator?.icon_dark;
  if (dark && dark !== light) {
    const source = document.createElement("source");
    source.media = "(prefers-color-scheme: dark)";
    source.srcset = dark;
    picture.append(source);
  }
  const img = document.createElement("img");
  img.width = img.height = 24;
  img.alt = authenticator ? authenticator.name : "Passkey";
  img.title = authenticator ? authenticator.name : "Unknown authenticator";
  if (light || dark) {
    img.src = light || dark;
  } else {
    // Without a src Chromium draws a broken-image glyph: a plain key instead.
    img.className = "unknown";
    img.src = UNKNOWN_AUTHENTICATOR_ICON;
  }
  picture.append(img);
  return picture;
}

async function renderPasskeys() {
  const data = await api("GET", "/auth/passkeys");
  const passkeys = listOf(data, "passkeys");
  account = data?.rp_id && data?.user_handle
    ? { rpId: data.rp_id, userHandle: data.user_handle, credentialIds: passkeys.map((p) => p.credential_id) }
    : null;
  const items = passkeys.map((passkey) => {
    const li = document.createElement("li");
    li.dataset.id = passkey.id;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = passkey.device_name || "Unnamed passkey";
    const icon = authenticatorIcon(passkey.authenticator);
    const input = document.createElement("input");
    input.value = passkey.device_name || "";
    input.maxLength = 64;
    input.setAttribute("aria-label", "New name");
    const rename = document.createElement("button");
    rename.textContent = "Rename";
    rename.className = "secondary";
    rename.onclick = () => action(async () => {
      await api("PATCH", `/auth/passkeys/${encodeURIComponent(passkey.id)}`, { device_name: input.value.trim() });
      await renderPasskeys();
      setStatus("Passkey renamed.");
    });
    const remove = document.createElement("button");
    remove.textContent = "Delete";
    remove.className = "danger";
    remove.onclick = () => action(async () => {
      await api("DELETE", `/auth/passkeys/${encodeURIComponent(passkey.id)}`);
      // Deleting a passkey ends the sessions it signed in, this one too if
      // it was signed in with it.
      if (!(await sessionIsLive())) {
        return showSignedOut("The passkey you signed in with was deleted, which ended this session. " +
                             "Sign in with another passkey.");
      }
      await Promise.all([renderPasskeys(), renderSessions(), renderActivity()]);
      signalAcceptedCredentials(); // the browser's provider forgets the deleted one
      setStatus("Passkey deleted.");
    });
    const meta = document.createElement("span");
    meta.className = "meta";
    const facts = [`added ${when(passkey.created_at)}`, `last used ${when(passkey.last_used_at)}`];
    if (passkey.transports?.length) facts.push(passkey.transports.join(", "));
    if (passkey.backup_eligible) facts.push(passkey.backup_state ? "synced" : "can sync, not synced");
    // The authenticator model, named by the service from FIDO metadata and the list of passkey providers.
    if (passkey.authenticator) facts.unshift(passkey.authenticator.name);
    meta.textContent = facts.join(" · ");
    li.append(icon, name, input, rename, remove, meta);
    if (passkey.metadata_status) {
      li.classList.add("flagged");
      const warning = document.createElement("span");
      warning.className = "warning";
      warning.textContent = `This authenticator model is no longer trusted (FIDO: ${passkey.metadata_status}); ` +
        "add another passkey and delete this one.";
      li.append(warning);
    }
    return li;
  });
  $("passkeys").replaceChildren(...items);
  // One device's passkeys vanish with the device; a synced one (or a second
  // authenticator) is the way back in.
  $("backup-notice").hidden = passkeys.length === 0 || passkeys.some((passkey) => passkey.backup_state);
}

async function renderSessions() {
  const sessions = listOf(await api("GET", "/auth/sessions"), "sessions");
  const items = sessions.map((session) => {
    const li = document.createElement("li");
    li.dataset.id = session.id;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = describeAgent(session.user_agent);
    name.title = session.user_agent ?? "";
    if (session.current) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = "this session";
      name.append(" ", badge);
    }
    const end = document.createElement("button");
    end.textContent = "End";
    end.className = "danger";
    end.onclick = () => action(async () => {
      await api("DELETE", `/auth/sessions/${encodeURIComponent(session.id)}`);
      if (session.current) return showSignedOut("You ended this session.");
      await renderSessions();
      setStatus("Session ended.");
    });
    const meta = document.createElement("span");
    meta.className = "meta";
    const facts = [`started ${when(session.created_at)}`, `last active ${when(session.last_seen_at)}`,
                   `expires ${when(session.expires_at)}`];
    if (session.client_ip) facts.push(`from ${session.client_ip}`);
    meta.textContent = facts.join(" · ");
    li.append(name, end, meta);
    return li;
  });
  $("sessions").replaceChildren(...items);
}

// Pending recovery links of this account: an operator issued them; if the
// person did not ask for one, this is where they stop it.
async function renderEnrollments() {
  const links = listOf(await api("GET", "/auth/enrollments"), "enrollments");
  const items = links.map((link) => {
    const li = document.createElement("li");
    li.dataset.id = link.id;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = `Recovery link issued by ${link.issued_by}`;
    if (new Date(link.usable_at) > new Date()) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = "waiting";
      name.append(" ", badge);
    }
    const cancel = document.createElement("button");
    cancel.textContent = "Cancel";
    cancel.className = "danger";
    cancel.onclick = () => action(async () => {
      await api("DELETE", `/auth/enrollments/${encodeURIComponent(link.id)}`);
      await Promise.all([renderEnrollments(), renderActivity()]);
      setStatus("Recovery link cancelled: it no longer works.");
    });
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [`issued ${when(link.created_at)}`, `usable from ${when(link.usable_at)}`,
                        `expires ${when(link.expires_at)}`].join(" · ");
    li.append(name, cancel, meta);
    return li;
  });
  $("enrollments").replaceChildren(...items);
  $("no-enrollments").hidden = links.length > 0;
}

const ACTIVITY_TEXT = {
  registration: "Account created",
  registration_failure: "Adding a passkey failed",
  login_success: "Signed in",
  login_failure: "Failed sign-in",
  logout: "Signed out",
  session_revoked: "Session ended",
  token_reused: "A stolen session token was refused; its sessions ended",
  counter_regression: "A passkey looked cloned and was refused",
  counter_regression_cleared: "Passkey cleared by an operator",
  passkey_added: "Passkey added",
  passkey_renamed: "Passkey renamed",
  passkey_deleted: "Passkey deleted",
  passkey_disabled: "Passkey disabled",
  passkey_enabled: "Passkey enabled",
  passkey_flagged: "Passkey flagged: its model was reported compromised",
  user_disabled: "Account disabled",
  user_enabled: "Account enabled",
  enrollment_issued: "Recovery link issued",
  enrollment_used: "Recovery link used",
  enrollment_revoked: "Recovery link cancelled",
  display_name_changed: "Display name changed",
};

async function renderActivity() {
  const { events = [] } = (await api("GET", "/auth/activity?limit=15")) ?? {};
  const items = events.map((event) => {
    const detail = event.detail ?? {};
    const li = document.createElement("li");
    li.dataset.event = event.event;
    if (detail.outcome === "failure") li.classList.add("failure");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = ACTIVITY_TEXT[event.event] ?? event.event;
    if (detail.error_code) name.textContent += ` (${detail.error_code})`;
    const meta = document.createElement("span");
    meta.className = "meta";
    const facts = [when(event.at)];
    if (event.user_agent) facts.push(describeAgent(event.user_agent));
    if (event.client_ip) facts.push(`from ${event.client_ip}`);
    if (detail.actor) facts.push(`by ${detail.actor}`);
    if (detail.sessions_revoked) facts.push(`${detail.sessions_revoked} session(s) ended`);
    meta.textContent = facts.join(" · ");
    li.append(name, meta);
    return li;
  });
  $("activity").replaceChildren(...items);
}

// ---- enrollment links (/enroll#token=de_…) ---------------------------------------

const ENROLLMENT_TOKEN = /^de_[A-Za-z0-9_-]{43}$/;
let enrollmentToken = null;

function showEnrollProblem(text, code) {
  const box = $("enroll-problem");
  box.textContent = text;
  if (code) box.dataset.code = code;
  else delete box.dataset.code;
  box.hidden = false;
}

// What a refused link means, in plain words.
function enrollmentProblem(error) {
  if (error instanceof ApiError) {
    switch (error.code) {
      case "enrollment_invalid":
        return "This link does not work: it may be mistyped, already used, cancelled, or expired. " +
               "Ask whoever sent it for a new one.";
      case "enrollment_pending":
        return `This link cannot be used yet. It works from ${when(error.body?.usable_at)}; ` +
               "until then the account's owner can still cancel it.";
      case "user_disabled":
        return "This account is disabled. Ask an operator to enable it first.";
      case "credential_exists":
        return "This authenticator already holds a passkey for this site. Sign in with it instead.";
    }
  } else if (error instanceof DOMException && error.name === "NotAllowedError") {
    return "The passkey prompt was cancelled or timed out. Try again: the link still works.";
  }
  return null;
}

// On /enroll: read the token from the fragment, which never reaches a
// server, and take it out of the address bar (history, bookmarks, a shared
// screen) at once.
function openEnrollmentLink() {
  const token = new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
  history.replaceState(null, "", location.pathname);
  enrollmentToken = token !== null && ENROLLMENT_TOKEN.test(token) ? token : null;
  $("signed-out").hidden = true;
  $("signed-in").hidden = true;
  $("enroll").hidden = false;
  $("enroll-problem").hidden = true;
  $("enroll-start").hidden = false;
  if (!enrollmentToken) {
    $("enroll-start").hidden = true;
    showEnrollProblem("This link is incomplete. Open the whole link you were sent, or ask for a new one.");
    setStatus("This enrollment link cannot be used.");
  } else {
    setStatus("Add a passkey to your account with this link.");
  }
}

async function enroll() {
  $("enroll-problem").hidden = true;
  setStatus("Adding a passkey to your account…");
  let result;
  try {
    result = await createPasskey({ enrollment_token: enrollmentToken });
  } catch (e) {
    const problem = enrollmentProblem(e);
    if (problem) showEnrollProblem(problem, e.code ?? e.name);
    throw e;
  }
  sessionToken = result.session_token;
  enrollmentToken = null;
  history.replaceState(null, "", "/");
  const who = result.actor?.display_name || result.actor?.username;
  let message = `A passkey was added to your account, ${who}, and you are signed in.`;
  const ended = result.sessions_revoked ?? 0;
  if (ended > 0) message += ` Your other sessions were signed out (${ended}).`;
  await showSignedIn(message);
}

// ---- wiring ------------------------------------------------------------------------

$("sign-up-form").addEventListener("submit", (event) => {
  event.preventDefault();
  action(signUp);
});
$("sign-in-form").addEventListener("submit", (event) => {
  event.preventDefault();
  action(() => signIn($("sign-in-username").value.trim()));
});
$("sign-in-passkey").addEventListener("click", () => action(() => signIn("")));
$("sign-out").addEventListener("click", () => action(async () => {
  await api("POST", "/auth/logout");
  showSignedOut("Signed out.");
}));
$("sign-out-all").addEventListener("click", () => action(async () => {
  await api("POST", "/auth/logout?all=true");
  showSignedOut("Signed out on every device.");
}));
$("enroll-start").addEventListener("click", () => action(enroll));
$("add-backup").addEventListener("click", () => action(async () => {
  await createPasskey({ device_name: "Backup passkey" });
  await Promise.all([renderPasskeys(), renderActivity()]);
  setStatus("Backup passkey added.");
}));
// Back to this tab: the session may have ended meanwhile (signed out
// elsewhere, or a recovery link used on another device).
window.addEventListener("focus", checkSession);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") checkSession();
});
$("display-name-form").addEventListener("submit", (event) => {
  event.preventDefault();
  action(async () => {
    const me = await api("PATCH", "/auth/me", { display_name: $("display-name").value.trim() });
    showIdentity(me);
    signalUserDetails(me); // the browser's provider shows the new name too
    await renderActivity();
    setStatus("Display name changed.");
  });
});
$("add-passkey-form").addEventListener("submit", (event) => {
  event.preventDefault();
  action(async () => {
    const deviceName = $("add-passkey-name").value.trim();
    await createPasskey(deviceName ? { device_name: deviceName } : {});
    $("add-passkey-name").value = "";
    await Promise.all([renderPasskeys(), renderActivity()]);
    setStatus("Passkey added.");
  });
});

// Another link opened in this tab changes only the fragment: no reload, so
// read it again (the page must never send the previous link's token).
window.addEventListener("hashchange", () => {
  if (location.pathname === "/enroll" && location.hash.includes("token=")) openEnrollmentLink();
});

// On load: already signed in (the cookie, when this origin is the API's)?
(async () => {
  if (!window.PublicKeyCredential?.parseCreationOptionsFromJSON) {
    setStatus("This browser lacks the WebAuthn JSON methods (PublicKeyCredential.parseCreationOptionsFromJSON).");
    return;
  }
  if (location.pathname === "/enroll") {
    openEnrollmentLink();
    return;
  }
  try {
    await showSignedIn("Welcome back.");
  } catch (e) {
    showSignedOut("Create an account, or sign in with your passkey.");
    if (!(e instanceof ApiError && e.status === 401)) showError(e);
  }
})();

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
  const me = await api("GET", "/auth/me");
  $("who").textContent = `Signed in as ${me.display_name || me.username} (${me.username})`;
  $("me").textContent = JSON.stringify(me, null, 2);
  $("signed-out").hidden = true;
  $("signed-in").hidden = false;
  await Promise.all([renderPasskeys(), renderSessions()]);
  if (afterSignIn) {
    signalAcceptedCredentials();
    await startUpgrade();
  }
  setStatus(message);
}

function showSignedOut(message) {
  stopAutofill(); // and the upgrade
  account = null;
  delete $("upgrade-state").dataset.state;
  $("upgrade-state").textContent = "";
  sessionToken = null;
  $("signed-in").hidden = true;
  $("signed-out").hidden = false;
  $("who").textContent = "";
  $("me").textContent = "";
  setStatus(message);
  startAutofill();
}

function listOf(data, key) {
  return Array.isArray(data) ? data : (data?.[key] ?? []);
}

// The model's icon for light or dark pages (data: URIs the service checked),
// or a plain key when the model is unknown.
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
  if (light || dark) img.src = light || dark;
  else img.className = "unknown";
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
      await renderPasskeys();
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
$("add-passkey-form").addEventListener("submit", (event) => {
  event.preventDefault();
  action(async () => {
    const deviceName = $("add-passkey-name").value.trim();
    await createPasskey(deviceName ? { device_name: deviceName } : {});
    $("add-passkey-name").value = "";
    await renderPasskeys();
    setStatus("Passkey added.");
  });
});

// On load: already signed in (the cookie, when this origin is the API's)?
(async () => {
  if (!window.PublicKeyCredential?.parseCreationOptionsFromJSON) {
    setStatus("This browser lacks the WebAuthn JSON methods (PublicKeyCredential.parseCreationOptionsFromJSON).");
    return;
  }
  try {
    await showSignedIn("Welcome back.");
  } catch (e) {
    showSignedOut("Create an account, or sign in with your passkey.");
    if (!(e instanceof ApiError && e.status === 401)) showError(e);
  }
})();

// The DAARION task's onboarding, step by step, in Debian's Chromium with a
// virtual platform authenticator, against the real daemon: the example app
// uses only @daarion/auth-client (PasskeyScene, usePasskeyRegister, the
// store, RequireAuth).
//   1. the person arrives at PasskeyScene   2. POST /auth/passkey/register/start
//   3. navigator.credentials.create         4. POST /auth/passkey/register/finish
//   5. a session_token comes back           6. it is kept in localStorage
//   7. the global auth state says signed in

import { autofillPending, base64url, expectAuth, expectPath, harness, platformAuthenticator, recordSteps, startExample,
         storedSession } from "./lib/exampleApp.mjs";

const { Browser, request, runTest } = harness;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_onboarding", async ({ step, resources }) => {
  const { appOrigin, daemon, database } = await startExample("client_onboarding", resources);
  const browser = (resources.browser = await Browser.launch());
  const { page } = browser;
  await recordSteps(browser.context);
  const authenticator = await platformAuthenticator(browser);
  const created = [];
  browser.cdp.on("WebAuthn.credentialAdded", (event) => created.push(event.credential));

  await step("1. a visitor who is not signed in arrives at the PasskeyScene (sent there from /city-v2)", async () => {
    await page.goto(`${appOrigin}/city-v2`);
    await expectPath(page, "/onboarding");
    await page.getByRole("heading", { name: "Join DAARION with a passkey" }).waitFor();
    await expectAuth(page, "signed-out");
    const states = await page.locator("li[data-step]").evaluateAll((items) => items.map((li) => li.dataset.state));
    check(JSON.stringify(states) === JSON.stringify(["done", "pending", "pending", "pending", "pending", "pending", "pending"]),
          `the steps read ${states}`);
    check((await page.locator("[data-webauthn]").getAttribute("data-webauthn")) === "native",
          "Chromium 156 has the WebAuthn L3 JSON methods: the package should use them");
    check((await storedSession(page)) === null, "nothing is stored before sign-up");
  });

  await autofillPending(page); // the signed-out scene offers passkeys in the username field
  await browser.presence(authenticator, true);
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Display name (optional)").fill("Alice");

  const startRequest = page.waitForRequest((r) => r.url().endsWith("/auth/passkey/register/start"));
  const startResponse = page.waitForResponse((r) => r.url().endsWith("/auth/passkey/register/start"));
  const finishRequest = page.waitForRequest((r) => r.url().endsWith("/auth/passkey/register/finish"));
  const finishResponse = page.waitForResponse((r) => r.url().endsWith("/auth/passkey/register/finish"));
  await page.getByRole("button", { name: "Create a passkey" }).click();

  let options;
  await step("2. the scene calls POST /auth/passkey/register/start with the new account", async () => {
    const body = (await startRequest).postDataJSON();
    check(body.username === "alice" && body.display_name === "Alice", `register/start body ${JSON.stringify(body)}`);
    check(!(await startRequest).headers()["authorization"], "sign-up sends no session token");
    const response = await startResponse;
    check(response.status() === 200, `register/start answered ${response.status()}`);
    options = await response.json();
    check(options.user.name === "alice" && options.rp.id === "localhost" && options.challenge, JSON.stringify(options));
  });

  await step("3. navigator.credentials.create made a passkey on the authenticator for alice at localhost", async () => {
    const deadline = Date.now() + 15000;
    while (created.length === 0 && Date.now() < deadline) await page.waitForTimeout(50);
    check(created.length === 1, `WebAuthn.credentialAdded fired ${created.length} times`);
    check(created[0].rpId === "localhost" && created[0].isResidentCredential, JSON.stringify(created[0]));
    check(created[0].userHandle === base64url(Buffer.from(options.user.id, "base64url").toString("base64")) ||
          base64url(created[0].userHandle) === options.user.id, "the passkey holds the user handle of the options");
  });

  let finished;
  await step("4. the scene calls POST /auth/passkey/register/finish with that credential's RegistrationResponseJSON", async () => {
    const body = (await finishRequest).postDataJSON();
    check(body.id === base64url(created[0].credentialId), `finish sent id ${body.id}`);
    check(body.type === "public-key" && body.response.attestationObject && body.response.clientDataJSON, JSON.stringify(body).slice(0, 200));
    const clientData = JSON.parse(Buffer.from(body.response.clientDataJSON, "base64url").toString());
    check(clientData.challenge === options.challenge && clientData.origin === appOrigin, JSON.stringify(clientData));
    const response = await finishResponse;
    check(response.status() === 200, `register/finish answered ${response.status()}`);
    finished = await response.json();
  });

  await step("5. it receives a session_token (and the actor)", async () => {
    check(/^[A-Za-z0-9_-]{43}$/.test(finished.session_token), `session_token ${finished.session_token}`);
    check(finished.actor.username === "alice" && finished.actor.actor_type === "human", JSON.stringify(finished.actor));
    const me = await request("GET", `${daemon.origin.replace("localhost", "127.0.0.1")}/auth/me`, {
      headers: { Authorization: `Bearer ${finished.session_token}` },
    });
    check(me.status === 200 && JSON.parse(me.body).username === "alice", `GET /auth/me with it: ${me.status} ${me.body}`);
  });

  await step("6. the session_token is kept in localStorage", async () => {
    await expectAuth(page, "signed-in");
    const stored = await storedSession(page);
    check(stored?.session_token === finished.session_token, `localStorage holds ${JSON.stringify(stored)}`);
    check(stored.actor.actor_id === finished.actor.actor_id && stored.expires_at === finished.expires_at, JSON.stringify(stored));
  });

  await step("7. the global auth state says signed in: the header, and the guarded page the visitor wanted renders", async () => {
    const header = await expectAuth(page, "signed-in");
    check(header.includes("Signed in as Alice (@alice)"), `the header says ${JSON.stringify(header)}`);
    await expectPath(page, "/city-v2");
    await page.locator('[data-page="/city-v2"]').getByRole("heading", { name: "City" }).waitFor();
    const log = await page.evaluate(() => window.__steps);
    const current = log.filter((entry) => entry.endsWith(":current")).map((entry) => Number(entry.split(":")[0]));
    check(JSON.stringify(current) === "[2,3,4]", `the scene showed steps ${current} as current, in that order (log ${log})`);
    const rows = database.rows("SELECT u.username, count(p.id) FROM users u JOIN passkeys p ON p.user_id = u.id GROUP BY u.username");
    check(JSON.stringify(rows) === JSON.stringify([["alice", "1"]]), `users with passkeys: ${JSON.stringify(rows)}`);
  });

  await step("a reload stays signed in (localStorage) and checks the session with GET /auth/me", async () => {
    const me = page.waitForResponse((r) => r.url().endsWith("/auth/me"));
    await page.reload();
    check((await me).status() === 200, "GET /auth/me after reload");
    const meRequest = (await me).request();
    check(meRequest.headers()["authorization"] === `Bearer ${finished.session_token}`, "it presents the stored token as Bearer");
    await expectAuth(page, "signed-in");
    await expectPath(page, "/city-v2");
  });

  await step("the same username again: the scene shows username_taken and stays signed out", async () => {
    await browser.presence(authenticator, false); // else the autofill request signs alice in at once
    await page.getByRole("button", { name: "Sign out" }).click();
    await expectAuth(page, "signed-out");
    await expectPath(page, "/onboarding");
    await autofillPending(page);
    await browser.presence(authenticator, true);
    await page.getByLabel("Username").fill("alice");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    const alert = page.locator('[role="alert"][data-code="username_taken"]');
    await alert.waitFor({ timeout: 15000 });
    check((await alert.textContent()).includes("That username is taken"), await alert.textContent());
    await expectAuth(page, "signed-out");
    check((await browser.credentials(authenticator)).length === 1, "no second passkey was made");
  });

  await step("an impossible username is explained before anything is sent", async () => {
    let calls = 0;
    page.on("request", (r) => { if (r.url().includes("/register/start")) calls++; });
    await page.getByLabel("Username").fill("no spaces please");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await page.locator('[data-problem="form"]').waitFor();
    await page.waitForTimeout(300);
    check(calls === 0, `register/start was called ${calls} times`);
  });
});

// A platform passkey (ctap2, internal transport, user verification, resident
// key), attestation "none", backup flags off: sign-up, sign-out, sign-in
// username-first, discoverable and by autofill, a reload kept signed in by the
// cookie, another passkey, renaming, sessions, and the audit trail.
"use strict";

const assert = require("node:assert/strict");
const { Database, Daemon, Browser, request, apiAnswer, apiAnswers, expectText, expectVisible, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

const platform = {
  protocol: "ctap2", transport: "internal", hasResidentKey: true,
  hasUserVerification: true, isUserVerified: true,
  defaultBackupEligibility: false, defaultBackupState: false,
};

runTest("ctap2_internal", async ({ step, resources }) => {
  const database = resources.database = Database.create("ctap2_internal");
  const daemon = resources.daemon = await Daemon.start(database, { ATTESTATION: "none" });
  const browser = resources.browser = await Browser.launch();
  const { page } = browser;
  const phone = await browser.addAuthenticator(platform);
  let signUpToken;

  await step("the page opens signed out, with passkey autofill waiting in the username field", async () => {
    await page_.openSignedOut(browser, `${daemon.origin}/`, [phone]);
    await expectText(page, "#autofill-state", "offered in the username field");
    assert.equal(await page.getAttribute("#sign-in-username", "autocomplete"), "username webauthn");
  });

  await step("sign-up creates the account and its passkey, and signs in", async () => {
    const { options, result } = await page_.signUp(page, "alice", "Alice");
    assert.equal(options.attestation, "none");
    signUpToken = result.session_token;
    const stored = await browser.credentials(phone);
    assert.equal(stored.length, 1, "the authenticator holds one credential");
    assert.equal(stored[0].isResidentCredential, true, "a discoverable credential");
    const credentialId = Buffer.from(stored[0].credentialId, "base64").toString("base64url");
    assert.deepEqual(database.rows("SELECT credential_id FROM passkeys"), [[credentialId]],
                     "the database holds the authenticator's credential");
  });

  await step("the passkey is stored with attestation none, UV, backup flags off", async () => {
    const [row] = database.rows(`SELECT u.username, p.attestation_fmt, p.user_verified, p.backup_eligible,
                                        p.backup_state, array_to_string(p.transports, ',')
                                   FROM passkeys p JOIN users u ON u.id = p.user_id`);
    assert.deepEqual(row, ["alice", "none", "t", "f", "f", "internal"]);
    await expectText(page, "#passkeys", "internal");
  });

  await step("sign-out ends the session: its token no longer works", async () => {
    await page_.signOut(browser, [phone]);
    const me = await request("GET", `${daemon.origin}/auth/me`, { headers: { Authorization: `Bearer ${signUpToken}` } });
    assert.equal(me.status, 401, `GET /auth/me with the ended session answered ${me.status}`);
    assert.equal(JSON.parse(me.body).error, "invalid_session");
  });

  await step("sign-in username-first", async () => {
    await page_.signInWithUsername(page, "alice");
    await expectText(page, "#who", "Signed in as Alice (alice)");
  });

  await step("a reload stays signed in through the HttpOnly cookie", async () => {
    await page.reload();
    await expectText(page, "#status", "Welcome back.");
    await expectText(page, "#who", "Signed in as Alice (alice)");
    assert.equal(await page.evaluate(() => document.cookie), "", "the session cookie is invisible to scripts");
  });

  await step("sign-in with a discoverable passkey, no username", async () => {
    await page_.signOut(browser, [phone]);
    await page_.signInDiscoverable(page, "alice");
  });

  await step("sign-in through passkey autofill (conditional mediation)", async () => {
    await page_.signOut(browser, [phone]);
    // A fresh signed-out page whose autofill request meets a present user.
    const finish = await apiAnswer(page, "POST", "/auth/passkey/authenticate/finish", () => page.reload());
    await page_.checkSignedIn(page, finish, "alice", "Signed in with passkey autofill.");
  });

  let laptop;
  await step("add another passkey, named on the way in", async () => {
    // The first authenticator would refuse: excludeCredentials lists its passkey.
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: phone });
    laptop = await browser.addAuthenticator({ ...platform, automaticPresenceSimulation: true });
    await page.fill("#add-passkey-name", "Laptop");
    const [start, finish] = await apiAnswers(page,
      [["POST", "/auth/passkey/register/start"], ["POST", "/auth/passkey/register/finish"]],
      () => page.click("#add-passkey"));
    assert.equal(start.status, 200);
    assert.equal(start.body.excludeCredentials.length, 1, "excludeCredentials lists the account's passkey");
    assert.equal(finish.status, 200, `register/finish answered ${finish.status}: ${JSON.stringify(finish.body)}`);
    assert.equal(finish.body.session_token, undefined, "adding a passkey starts no new session");
    await expectText(page, "#status", "Passkey added.");
    // The sign-up's passkey has the API's default name.
    assert.deepEqual((await page_.passkeyNames(page)).sort(), ["Laptop", "Passkey"]);
  });

  await step("rename the first passkey", async () => {
    const first = page.locator("#passkeys li").filter({ has: page.locator(".name", { hasText: /^Passkey$/ }) });
    await first.locator("input").fill("Phone");
    const answer = await apiAnswer(page, "PATCH", `/auth/passkeys/${await first.getAttribute("data-id")}`,
                                   () => first.locator("button", { hasText: "Rename" }).click());
    assert.equal(answer.status, 200, `PATCH answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    await expectText(page, "#status", "Passkey renamed.");
    assert.deepEqual((await page_.passkeyNames(page)).sort(), ["Laptop", "Phone"]);
    assert.deepEqual(database.rows("SELECT device_name FROM passkeys ORDER BY device_name").flat(), ["Laptop", "Phone"]);
  });

  await step("the added passkey signs in", async () => {
    await page_.signOut(browser, [laptop]);
    await page_.signInWithUsername(page, "alice");
    const used = database.rows("SELECT device_name FROM passkeys WHERE last_used_at IS NOT NULL ORDER BY last_used_at DESC LIMIT 1");
    assert.deepEqual(used, [["Laptop"]]);
  });

  await step("sessions: a second device's session is listed and can be ended", async () => {
    // The same passkey on a second tab with its own authenticator and no cookie.
    const [credential] = await browser.credentials(laptop);
    const other = await browser.context.newPage();
    const otherCdp = await browser.context.newCDPSession(other);
    await otherCdp.send("WebAuthn.enable");
    const { authenticatorId } = await otherCdp.send("WebAuthn.addVirtualAuthenticator",
      { options: { ...platform, automaticPresenceSimulation: false } });
    await otherCdp.send("WebAuthn.addCredential", { authenticatorId, credential });
    const cookies = await browser.context.cookies();
    await browser.context.clearCookies();
    await other.goto(`${daemon.origin}/`);
    await other.locator('#autofill-state[data-state="pending"]').waitFor({ state: "attached" });
    await otherCdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: true });
    await page_.signInWithUsername(other, "alice");
    const otherCookies = await browser.context.cookies();
    await browser.context.addCookies(cookies); // the first tab's cookie back

    await page.reload();
    await expectText(page, "#who", "(alice)");
    await page.locator("#sessions li").nth(1).waitFor();
    assert.equal(await page.locator("#sessions li").count(), 2, "two live sessions listed");
    const current = page.locator("#sessions li", { hasText: "this session" });
    assert.equal(await current.count(), 1, "the page marks its own session");
    const theOther = page.locator("#sessions li", { hasNotText: "this session" });
    const id = await theOther.getAttribute("data-id");
    const answer = await apiAnswer(page, "DELETE", `/auth/sessions/${id}`, () => theOther.locator("button").click());
    assert.equal(answer.status, 204, `DELETE /auth/sessions answered ${answer.status}`);
    await expectText(page, "#status", "Session ended.");
    assert.equal(await page.locator("#sessions li").count(), 1);

    // The second tab, on its (now ended) session, is signed out on reload.
    await browser.context.addCookies(otherCookies.filter((c) => c.name === "session_token"));
    await otherCdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: false });
    await other.reload();
    await expectVisible(other, "#signed-out");
    await expectText(other, "#status", "Create an account, or sign in");
    await other.close();
    await browser.context.addCookies(cookies); // the first tab's again
  });

  await step("every sign-up, sign-in and sign-out is in the audit trail", async () => {
    const events = database.rows(`SELECT event, outcome, coalesce(username, ''), coalesce(user_agent, '')
                                    FROM auth_events ORDER BY id`);
    const count = (event, outcome = "success") => events.filter((e) => e[0] === event && e[1] === outcome).length;
    const summary = JSON.stringify(events.map((e) => `${e[0]}:${e[1]}`));
    assert.equal(count("registration"), 1, `the sign-up in ${summary}`);
    assert.equal(count("passkey_added"), 1, `the added passkey in ${summary}`);
    assert.equal(count("login_success"), 5, `five sign-ins (username, discoverable, autofill, added passkey, second tab) in ${summary}`);
    assert.equal(count("logout"), 4, `four sign-outs in ${summary}`);
    assert.equal(count("session_revoked"), 1, `the ended session in ${summary}`);
    assert.ok(events.filter((e) => e[0] === "login_success").every((e) => /Chrome/.test(e[3])),
              "sign-ins record the browser's user agent");
  });

  await step("sign out everywhere ends every session of the account", async () => {
    await browser.presence(laptop, false);
    const answer = await apiAnswer(page, "POST", "/auth/logout", () => page.click("#sign-out-all"));
    assert.equal(answer.status, 204);
    await expectVisible(page, "#signed-out");
    await expectText(page, "#status", "Signed out on every device.");
    const [[live]] = database.rows(`SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id
                                     WHERE u.username = 'alice' AND s.revoked_at IS NULL AND s.rotated_at IS NULL`);
    assert.equal(live, "0", "no live session left");
  });
});

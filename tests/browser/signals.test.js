// WebAuthn Level 3 signals from the demo page reach the person's
// authenticators (here CDP virtual authenticators, whose WebAuthn domain
// reports what a signal deleted): after a sign-in, every passkey the account
// no longer has is dropped (signalAllAcceptedCredentials); after a passkey is
// deleted on the page, the authenticator holding it forgets it; after the
// display name changes on the page, the authenticator's passkey carries the
// new name (signalCurrentUserDetails, reported as credentialUpdated); a
// sign-in that ends in unknown_credential makes the authenticator forget that
// one (signalUnknownCredential). A browser without the signals signs in and
// changes the name as before.
"use strict";

const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const { Database, Daemon, Browser, apiAnswers, expectText, expectVisible, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

const platform = { protocol: "ctap2", ctap2Version: "ctap2_1", transport: "internal", hasResidentKey: true,
                   hasUserVerification: true, isUserVerified: true };
const securityKey = { protocol: "ctap2", ctap2Version: "ctap2_1", transport: "usb", hasResidentKey: true,
                      hasUserVerification: true, isUserVerified: true };

// CDP speaks base64, the API base64url.
const toBase64Url = (base64) => Buffer.from(base64, "base64").toString("base64url");

runTest("signals", async ({ step, resources }) => {
  const database = resources.database = Database.create("signals");
  const daemon = resources.daemon = await Daemon.start(database);
  const browser = resources.browser = await Browser.launch();
  const { page } = browser;
  const phone = await browser.addAuthenticator(platform);
  const held = async (authenticatorId) => (await browser.credentials(authenticatorId)).map((c) => toBase64Url(c.credentialId));
  let phonePasskey;

  await step("sign-up on the phone", async () => {
    await page_.openSignedOut(browser, `${daemon.origin}/`, [phone]);
    await page_.signUp(page, "alice", "Alice");
    [phonePasskey] = await held(phone);
    assert.deepEqual(database.rows("SELECT credential_id FROM passkeys"), [[phonePasskey]]);
  });

  await step("the passkey list names what the signals need: RP ID and user handle", async () => {
    const list = await page.evaluate(async () => (await fetch("/auth/passkeys")).json());
    const [[handle]] = database.rows("SELECT encode(user_handle, 'base64') FROM users WHERE username = 'alice'");
    assert.equal(list.rp_id, "localhost");
    assert.equal(list.user_handle, Buffer.from(handle, "base64").toString("base64url"));
    assert.deepEqual(list.passkeys.map((p) => p.credential_id), [phonePasskey]);
  });

  await step("after a sign-in, a passkey the account no longer has is dropped from the authenticator", async () => {
    // An old security key still holds a passkey of alice's that was deleted
    // from her account while the key was away (put there through CDP; an
    // authenticator keeps one discoverable passkey per account, so not on the phone).
    const oldKey = await browser.addAuthenticator(securityKey);
    const [[handle]] = database.rows("SELECT encode(user_handle, 'base64') FROM users WHERE username = 'alice'");
    const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const stale = crypto.randomBytes(16);
    await browser.cdp.send("WebAuthn.addCredential", { authenticatorId: oldKey, credential: {
      credentialId: stale.toString("base64"), isResidentCredential: true, rpId: "localhost",
      privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      userHandle: handle, signCount: 0, userName: "alice", userDisplayName: "Alice" } });
    assert.deepEqual(await held(oldKey), [stale.toString("base64url")]);

    await page_.signOut(browser, [phone]);
    const since = browser.webauthnEvents.length;
    await page_.signInWithUsername(page, "alice");
    const deleted = await browser.webauthnEvent("credentialDeleted", () => true, { since });
    assert.equal(deleted.authenticatorId, oldKey);
    assert.equal(toBase64Url(deleted.credentialId), stale.toString("base64url"));
    assert.deepEqual(await held(oldKey), []);
    assert.deepEqual(await held(phone), [phonePasskey], "the account's passkey stays");
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: oldKey });
  });

  let keyPasskey;
  let securityKeyId;
  await step("a passkey added on a security key is listed", async () => {
    securityKeyId = await browser.addAuthenticator(securityKey);
    await browser.presence(phone, false); // the phone would refuse anyway: its passkey is excluded
    await browser.presence(securityKeyId, true);
    await page.fill("#add-passkey-name", "Key");
    const [, finish] = await apiAnswers(page, [["POST", "/auth/passkey/register/start"],
                                               ["POST", "/auth/passkey/register/finish"]],
                                        () => page.click("#add-passkey"));
    assert.equal(finish.status, 200, `register/finish answered ${finish.status}: ${JSON.stringify(finish.body)}`);
    await expectText(page, "#status", "Passkey added.");
    [keyPasskey] = await held(securityKeyId);
    assert.equal(finish.body.credential.credential_id, keyPasskey);
    await browser.presence(phone, true);
  });

  await step("after a passkey is deleted on the page, the security key forgets it; the phone keeps its own", async () => {
    const since = browser.webauthnEvents.length;
    const item = page.locator("#passkeys li").filter({ has: page.locator(".name", { hasText: /^Key$/ }) });
    await item.locator("button", { hasText: "Delete" }).click();
    await expectText(page, "#status", "Passkey deleted.");
    const deleted = await browser.webauthnEvent("credentialDeleted", () => true, { since });
    assert.equal(deleted.authenticatorId, securityKeyId);
    assert.equal(toBase64Url(deleted.credentialId), keyPasskey);
    assert.deepEqual(await held(securityKeyId), []);
    assert.deepEqual(await held(phone), [phonePasskey]);
    assert.deepEqual(database.rows("SELECT credential_id FROM passkeys"), [[phonePasskey]]);
    // An authenticator holding nothing for this site would answer the
    // signed-out page's autofill request with NotAllowedError: unplug it.
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: securityKeyId });
  });

  await step("after the display name changes on the page, the phone's passkey carries the new name", async () => {
    const names = async () => (await browser.credentials(phone)).map((c) => [c.userName, c.userDisplayName]);
    assert.deepEqual(await names(), [["alice", "Alice"]], "the name given at sign-up");
    assert.equal(await page.inputValue("#display-name"), "Alice");
    const since = browser.webauthnEvents.length;

    // A blank name is refused as the page shows every error, and changes nothing.
    await page.fill("#display-name", "   ");
    const refused = page.waitForResponse((r) => r.request().method() === "PATCH" &&
                                                new URL(r.url()).pathname === "/auth/me");
    await page.click("#change-display-name");
    assert.equal((await refused).status(), 400);
    await expectText(page, "#error", "invalid_request");
    await expectText(page, "#error", "display_name must be a string of 1-64 characters");
    assert.deepEqual(database.rows("SELECT display_name FROM users WHERE username = 'alice'"), [["Alice"]]);

    await page.fill("#display-name", "Alice Liddell");
    const [patch] = await apiAnswers(page, [["PATCH", "/auth/me"]], () => page.click("#change-display-name"));
    assert.equal(patch.status, 200, `PATCH /auth/me answered ${patch.status}: ${JSON.stringify(patch.body)}`);
    assert.equal(patch.body.display_name, "Alice Liddell");
    await expectText(page, "#status", "Display name changed.");
    await expectText(page, "#who", "Signed in as Alice Liddell (alice)");
    assert.equal(await page.locator("#error").isVisible(), false);
    assert.deepEqual(database.rows("SELECT display_name FROM users WHERE username = 'alice'"), [["Alice Liddell"]]);

    const updated = await browser.webauthnEvent("credentialUpdated", () => true, { since });
    assert.equal(updated.authenticatorId, phone);
    assert.equal(toBase64Url(updated.credential.credentialId), phonePasskey);
    assert.deepEqual([updated.credential.userName, updated.credential.userDisplayName], ["alice", "Alice Liddell"]);
    assert.deepEqual(await names(), [["alice", "Alice Liddell"]]);
    // One update, the accepted name's: the refused one sent no signal.
    assert.deepEqual(browser.webauthnEvents.slice(since).map((e) => e.name), ["credentialUpdated"]);
  });

  await step("a sign-in with a passkey the service does not know: unknown_credential, and the phone forgets it", async () => {
    // An operator deleted the passkey (the console's Delete) while the phone kept it.
    await page_.signOut(browser, [phone]);
    database.rows(`DELETE FROM passkeys WHERE credential_id = '${phonePasskey}'`);
    const since = browser.webauthnEvents.length;
    const finish = page.waitForResponse((r) => new URL(r.url()).pathname === "/auth/passkey/authenticate/finish");
    await page.click("#sign-in-passkey");
    const answer = await finish;
    assert.equal(answer.status(), 401);
    const body = await answer.json();
    assert.deepEqual([body.error, body.credential_id, body.rp_id], ["unknown_credential", phonePasskey, "localhost"]);
    await expectText(page, "#error", "unknown_credential");
    const deleted = await browser.webauthnEvent("credentialDeleted", () => true, { since });
    assert.equal(toBase64Url(deleted.credentialId), phonePasskey);
    assert.deepEqual(await held(phone), []);
    await expectVisible(page, "#signed-out");
  });

  await step("a browser without the signals signs in and changes the name as before, silently", async () => {
    await page.addInitScript(() => {
      for (const name of ["signalAllAcceptedCredentials", "signalCurrentUserDetails", "signalUnknownCredential",
                          "getClientCapabilities"]) {
        delete PublicKeyCredential[name];
      }
    });
    await page_.openSignedOut(browser, `${daemon.origin}/`, [phone]);
    assert.equal(await page.evaluate(() => typeof PublicKeyCredential.signalAllAcceptedCredentials), "undefined");
    await page_.signUp(page, "bob", "Bob");
    await page_.signOut(browser, [phone]);
    const since = browser.webauthnEvents.length;
    await page_.signInWithUsername(page, "bob");
    await expectText(page, "#status", "Signed in.");
    assert.equal(await page.locator("#error").isVisible(), false);
    assert.deepEqual(browser.webauthnEvents.slice(since).filter((e) => e.name !== "credentialAdded"), []);
    // Without getClientCapabilities no passkey upgrade is offered either.
    assert.equal(await page.getAttribute("#upgrade-state", "data-state"), "unavailable");
    await page.fill("#display-name", "Robert");
    const [patch] = await apiAnswers(page, [["PATCH", "/auth/me"]], () => page.click("#change-display-name"));
    assert.equal(patch.status, 200);
    await expectText(page, "#status", "Display name changed.");
    assert.equal(await page.locator("#error").isVisible(), false);
    assert.deepEqual(database.rows("SELECT display_name FROM users WHERE username = 'bob'"), [["Robert"]]);
    assert.deepEqual(browser.webauthnEvents.slice(since).filter((e) => e.name !== "credentialAdded"), []);
    const [bobPasskey] = (await browser.credentials(phone)).filter((c) => c.userName === "bob");
    assert.equal(bobPasskey.userDisplayName, "Bob", "no signal, so the phone keeps the old name");
  });
});

// A U2F security key on USB: no user verification, no resident keys, and
// with attestation "direct" the fido-u2f format signed by its certificate.
// Sign-up, sign-out and username-first sign-in. A U2F key cannot hold a
// discoverable credential: sign-in without a username ends in the browser's
// NotAllowedError, and the page offers no autofill.
"use strict";

const assert = require("node:assert/strict");
const { Database, Daemon, Browser, apiAnswer, expectText, expectVisible, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

runTest("u2f_usb", async ({ step, resources }) => {
  const database = resources.database = Database.create("u2f_usb");
  const daemon = resources.daemon = await Daemon.start(database, { ATTESTATION: "direct" });
  const browser = resources.browser = await Browser.launch();
  const { page } = browser;
  const key = await browser.addAuthenticator({
    protocol: "u2f", transport: "usb", hasResidentKey: false,
    hasUserVerification: false, isUserVerified: false,
  });

  await step("the page opens signed out", async () => {
    await page_.openSignedOut(browser, `${daemon.origin}/`, [key]);
  });

  await step("sign-up with the security key, fido-u2f attestation, no UV", async () => {
    const { options, result } = await page_.signUp(page, "dave", "Dave");
    assert.equal(options.attestation, "direct");
    assert.notEqual(options.authenticatorSelection?.residentKey, "required",
                    "a U2F key cannot make a discoverable credential: residentKey must not be required");
    const stored = await browser.credentials(key);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].isResidentCredential, false);
    assert.ok(result.credential.id);
    const [row] = database.rows(`SELECT attestation_fmt, attestation_type, user_verified, array_to_string(transports, ',')
                                   FROM passkeys`);
    assert.deepEqual(row, ["fido-u2f", "basic", "f", "usb"]);
    await expectText(page, "#passkeys", "usb");
  });

  await step("sign-out", async () => {
    await page_.signOut(browser, [key]);
    await expectText(page, "#autofill-state", "cannot offer passkeys");
  });

  await step("no username: the key holds no discoverable passkey, and the page says the browser stopped", async () => {
    const start = await apiAnswer(page, "POST", "/auth/passkey/authenticate/start", () => page.click("#sign-in-passkey"));
    assert.equal(start.status, 200);
    await expectText(page, "#error", "NotAllowedError");
    await expectVisible(page, "#signed-out");
  });

  await step("sign-in username-first with the security key, without user verification", async () => {
    await page_.signInWithUsername(page, "dave");
    await expectText(page, "#who", "Signed in as Dave (dave)");
    const [[uv, signCount]] = database.rows("SELECT user_verified, sign_count FROM passkeys");
    assert.equal(uv, "f");
    assert.ok(Number(signCount) >= 1, "the key's counter was recorded");
  });

  await step("deleting the only passkey is refused, and the page shows the API's error", async () => {
    const only = page.locator("#passkeys li");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "DELETE"),
      only.locator("button", { hasText: "Delete" }).click(),
    ]);
    assert.equal(response.status(), 409);
    assert.equal((await response.json()).error, "last_credential");
    await expectText(page, "#error", "last_credential");
    await expectText(page, "#error", "HTTP 409");
    assert.equal(await page.locator("#passkeys li").count(), 1);
    assert.deepEqual(database.rows("SELECT count(*) FROM passkeys"), [["1"]]);
  });

  await step("the sign-up and sign-in are in the audit trail", async () => {
    const events = database.rows("SELECT event, outcome, username FROM auth_events WHERE event IN ('registration', 'login_success') ORDER BY id");
    assert.deepEqual(events, [["registration", "success", "dave"], ["login_success", "success", "dave"]]);
  });
});

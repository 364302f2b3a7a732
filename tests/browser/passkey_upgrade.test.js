// The automatic passkey upgrade (WebAuthn L3 conditional create) on the demo
// page: after a sign-in, where getClientCapabilities() reports
// conditionalCreate, the page asks the service for a conditional ceremony and
// hands it to the browser with mediation "conditional". Chromium 156 answers
// such a request only from its own password manager, never from a CDP virtual
// authenticator: the request stays pending, as it does for a person whose
// browser declines. So this test proves what the page asks and that a pending
// upgrade never blocks anything; that the service accepts its UP = 0 answer
// (and only for such a ceremony) is proven with the software authenticator in
// tests/e2e/tst_level3_features and the unit suites.
"use strict";

const assert = require("node:assert/strict");
const { Database, Daemon, Browser, apiAnswers, expectText, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

const platform = { protocol: "ctap2", ctap2Version: "ctap2_1", transport: "internal", hasResidentKey: true,
                   hasUserVerification: true, isUserVerified: true };
const securityKey = { protocol: "ctap2", ctap2Version: "ctap2_1", transport: "usb", hasResidentKey: true,
                      hasUserVerification: true, isUserVerified: true };

// The register/start requests the page makes from now on, with their bodies.
function registerStarts(page) {
  const seen = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/auth/passkey/register/start") {
      seen.push(r.postDataJSON());
    }
  });
  return seen;
}

runTest("passkey_upgrade", async ({ step, resources }) => {
  const database = resources.database = Database.create("passkey_upgrade");
  const daemon = resources.daemon = await Daemon.start(database);
  const browser = resources.browser = await Browser.launch();
  const { page } = browser;
  const phone = await browser.addAuthenticator(platform);
  const starts = registerStarts(page);

  await step("sign-up, sign-out", async () => {
    await page_.openSignedOut(browser, `${daemon.origin}/`, [phone]);
    await page_.signUp(page, "alice", "Alice");
    await page_.signOut(browser, [phone]);
    assert.deepEqual(starts, [{ username: "alice", display_name: "Alice" }], "a sign-up asks for no upgrade");
  });

  await step("after a sign-in the page asks for a conditional create, because Chromium reports conditionalCreate", async () => {
    assert.equal(await page.evaluate(async () => (await PublicKeyCredential.getClientCapabilities()).conditionalCreate), true);
    const upgrade = page.waitForResponse((r) => new URL(r.url()).pathname === "/auth/passkey/register/start");
    await page_.signInWithUsername(page, "alice");
    const answer = await upgrade;
    assert.deepEqual(answer.request().postDataJSON(), { conditional: true });
    assert.equal(answer.status(), 200);
    const options = await answer.json();
    assert.equal(options.excludeCredentials.length, 1, "the account's passkey is excluded: a browser holding it makes none");
    assert.equal(await page.getAttribute("#upgrade-state", "data-state"), "pending");
    await expectText(page, "#upgrade-state", "may save a passkey");
    const [[conditional]] = database.rows("SELECT count(*) FROM passkey_challenges WHERE conditional");
    assert.equal(conditional, "1", "the service remembers the ceremony is a conditional one");
  });

  await step("the pending upgrade never blocks a button: another passkey is added on a security key", async () => {
    assert.deepEqual(database.rows("SELECT count(*) FROM passkeys"), [["1"]], "the browser made nothing on its own");
    const key = await browser.addAuthenticator(securityKey);
    await browser.presence(phone, false);
    await browser.presence(key, true);
    const [start, finish] = await apiAnswers(page, [["POST", "/auth/passkey/register/start"],
                                                    ["POST", "/auth/passkey/register/finish"]],
                                             () => page.click("#add-passkey"));
    assert.equal(start.status, 200);
    assert.equal(finish.status, 200, `register/finish answered ${finish.status}: ${JSON.stringify(finish.body)}`);
    await expectText(page, "#status", "Passkey added.");
    assert.equal(await page.getAttribute("#upgrade-state", "data-state"), null, "the upgrade request was ended first");
    assert.deepEqual(starts.at(-1), {}, "the button's ceremony is an ordinary one");
    await browser.presence(phone, true);
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: key });
  });

  await step("sign-out ends a pending upgrade: the signed-out page's autofill request starts", async () => {
    await page_.signOut(browser, [phone]);
    const pendingAgain = page.waitForResponse((r) => new URL(r.url()).pathname === "/auth/passkey/register/start");
    await page_.signInWithUsername(page, "alice");
    assert.equal((await pendingAgain).status(), 200);
    assert.equal(await page.getAttribute("#upgrade-state", "data-state"), "pending");
    await page_.signOut(browser, [phone]); // settleAutofill inside: the autofill request is pending
    assert.equal(await page.getAttribute("#autofill-state", "data-state"), "pending");
    assert.equal(await page.getAttribute("#upgrade-state", "data-state"), null);
  });

  await step("where the service requires user verification it refuses the upgrade, and the page stays quiet", async () => {
    const strictDatabase = Database.create("passkey_upgrade_uv");
    resources.extra.push(() => strictDatabase.drop());
    const strict = await Daemon.start(strictDatabase, { REQUIRE_USER_VERIFICATION: "true" });
    resources.extra.push(() => strict.stop());
    await page_.openSignedOut(browser, `${strict.origin}/`, [phone]);
    await page_.signUp(page, "carol", "Carol");
    await page_.signOut(browser, [phone]);
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === "/auth/passkey/register/start");
    await page_.signInWithUsername(page, "carol");
    const answer = await refused;
    assert.equal(answer.status(), 400);
    assert.equal((await answer.json()).error, "invalid_request");
    assert.equal(await page.getAttribute("#upgrade-state", "data-state"), "refused");
    assert.equal(await page.locator("#error").isVisible(), false, "no error is shown for an upgrade nobody asked for");
  });

  await step("where getClientCapabilities() lacks conditionalCreate, no upgrade is asked", async () => {
    await page.addInitScript(() => {
      PublicKeyCredential.getClientCapabilities = async () => ({ conditionalCreate: false, conditionalGet: true });
    });
    await page_.openSignedOut(browser, `${daemon.origin}/`, [phone]);
    const before = starts.length;
    await page_.signInWithUsername(page, "alice");
    assert.equal(starts.length, before, `register/start was asked: ${JSON.stringify(starts.slice(before))}`);
    assert.equal(await page.getAttribute("#upgrade-state", "data-state"), "unavailable");
  });
});

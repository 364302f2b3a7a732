// The demo page shows each passkey's authenticator model (icon and name, as
// the API's Passkey JSON gives them) and warns about a passkey whose model
// the FIDO metadata marks as compromised. The metadata rows are written
// straight into the test database (what `daarion-authd metadata import`
// writes; the import itself is tested in tests/e2e/tst_metadata_cli).
"use strict";

const assert = require("node:assert/strict");
const { Database, Daemon, Browser, expectText, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

const platform = { protocol: "ctap2", transport: "internal", hasResidentKey: true,
                   hasUserVerification: true, isUserVerified: true };
// A 1x1 PNG.
const ICON = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

runTest("authenticator_metadata", async ({ step, resources }) => {
  const database = resources.database = Database.create("authenticator_metadata");
  // direct: Chromium then keeps the virtual authenticator's AAGUID in authenticatorData.
  const daemon = resources.daemon = await Daemon.start(database, { ATTESTATION: "direct" });
  const browser = resources.browser = await Browser.launch();
  const { page } = browser;
  const authenticator = await browser.addAuthenticator(platform);
  await page_.openSignedOut(browser, `${daemon.origin}/`, [authenticator]);

  let aaguid;
  await step("a passkey of a model nobody knows shows a plain key and its default name", async () => {
    const { result } = await page_.signUp(page, "erin", "Erin");
    assert.equal(result.credential.authenticator, null);
    [[aaguid]] = database.rows("SELECT encode(aaguid, 'hex') FROM passkeys");
    assert.notEqual(aaguid, "0".repeat(32), "Chromium's virtual authenticator names a model");
    assert.deepEqual(await page_.passkeyNames(page), ["Passkey"]);
    assert.equal(await page.locator("#passkeys li .authenticator img.unknown").count(), 1);
  });

  await step("once the model is known, its icon and name are shown", async () => {
    database.rows(`INSERT INTO metadata_entries (aaguid, description, icon, status)
                   VALUES (decode('${aaguid}', 'hex'), 'Chromium Virtual Authenticator', '${ICON}', 'FIDO_CERTIFIED')`);
    await page.reload();
    await expectText(page, "#passkeys", "Chromium Virtual Authenticator");
    const img = page.locator("#passkeys li .authenticator img");
    assert.equal(await img.getAttribute("src"), ICON);
    assert.equal(await img.getAttribute("alt"), "Chromium Virtual Authenticator");
    assert.ok(await img.evaluate((element) => element.complete && element.naturalWidth === 1), "the icon loads");
  });

  await step("a passkey of a compromised model is marked", async () => {
    database.rows("UPDATE passkeys SET metadata_status = 'REVOKED'");
    await page.reload();
    await expectText(page, "#passkeys", "no longer trusted (FIDO: REVOKED)");
    assert.equal(await page.locator("#passkeys li.flagged").count(), 1);
  });
});

// Attestation "direct": a ctap2 authenticator answers with packed
// attestation signed by its own certificate (x5c). And the backup flags:
// eligible and backed up, eligible only, as the authenticator reports them.
"use strict";

const assert = require("node:assert/strict");
const { Database, Daemon, Browser, expectText, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

const platform = { protocol: "ctap2", transport: "internal", hasResidentKey: true,
                   hasUserVerification: true, isUserVerified: true };

// The fields of the stored passkey that this test is about.
function storedPasskey(database, username) {
  const [row] = database.rows(`SELECT p.attestation_fmt, p.attestation_type, p.backup_eligible, p.backup_state
                                 FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.username = '${username}'`);
  return { fmt: row[0], type: row[1], backupEligible: row[2] === "t", backupState: row[3] === "t" };
}

runTest("attestation_backup", async ({ step, resources }) => {
  const database = resources.database = Database.create("attestation_backup");
  const daemon = resources.daemon = await Daemon.start(database, { ATTESTATION: "direct" });
  const browser = resources.browser = await Browser.launch();
  const { page } = browser;

  let synced;
  await step("sign-up asks for direct attestation and stores packed attestation with x5c", async () => {
    synced = await browser.addAuthenticator({ ...platform, defaultBackupEligibility: true, defaultBackupState: true });
    await page_.openSignedOut(browser, `${daemon.origin}/`, [synced]);
    const { options } = await page_.signUp(page, "bob", "Bob");
    assert.equal(options.attestation, "direct", "register/start asks for direct attestation");
    const stored = storedPasskey(database, "bob");
    assert.equal(stored.fmt, "packed");
    assert.equal(stored.type, "basic", "packed with a certificate is basic attestation, not self");
  });

  await step("eligible and backed up: stored, and shown as synced", async () => {
    const stored = storedPasskey(database, "bob");
    assert.equal(stored.backupEligible, true);
    assert.equal(stored.backupState, true);
    await expectText(page, "#passkeys", "synced");
  });

  await step("the backed-up passkey signs in, discoverable", async () => {
    await page_.signOut(browser, [synced]);
    await page_.signInDiscoverable(page, "bob");
    assert.equal(storedPasskey(database, "bob").backupState, true);
  });

  await step("eligible but not backed up: stored, and shown as not synced", async () => {
    await page_.signOut(browser, [synced]);
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: synced });
    const local = await browser.addAuthenticator({ ...platform, defaultBackupEligibility: true, defaultBackupState: false });
    await page.reload();
    await page.locator('#autofill-state[data-state="pending"]').waitFor({ state: "attached" });
    await browser.presence(local, true);
    await page_.signUp(page, "carol", "Carol");
    const stored = storedPasskey(database, "carol");
    assert.deepEqual([stored.fmt, stored.backupEligible, stored.backupState], ["packed", true, false]);
    await expectText(page, "#passkeys", "can sync, not synced");
    await page_.signOut(browser, [local]);
    await page_.signInWithUsername(page, "carol");
  });
});

// Recovery through an enrollment link, in Chromium: a person signed up on a
// phone that is then lost; the operator issues a link with the CLI
// (daarion-authd enroll create); opened at /enroll on a new device with a
// fresh virtual authenticator, it adds a passkey and signs in; the old
// device's page falls back to the signed-out view. Then what a used, a
// delayed and an incomplete link say, the owner cancelling a pending link,
// and the backup-passkey notice.
"use strict";

const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const { Database, Daemon, Browser, apiAnswer, apiAnswers, expectText, expectVisible, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

const platform = {
  protocol: "ctap2", transport: "internal", hasResidentKey: true,
  hasUserVerification: true, isUserVerified: true,
  defaultBackupEligibility: false, defaultBackupState: false,
};
const synced = { ...platform, defaultBackupEligibility: true, defaultBackupState: true };

runTest("enrollment", async ({ step, resources }) => {
  const database = resources.database = Database.create("enrollment");
  const daemon = resources.daemon = await Daemon.start(database, { ATTESTATION: "none" });
  const operator = (...args) => JSON.parse(execFileSync(process.env.DAARION_AUTHD, ["enroll", ...args], {
    env: { ...process.env, DATABASE_URL: database.url, PUBLIC_URL: daemon.origin, USER: "ops" },
    encoding: "utf8",
  }));
  const oldDevice = resources.browser = await Browser.launch();
  const lost = await oldDevice.addAuthenticator(platform);
  let newDevice;
  let fresh;
  let link;

  await step("ruth signs up on her phone; a passkey that is not backed up gets the notice", async () => {
    await page_.openSignedOut(oldDevice, `${daemon.origin}/`, [lost]);
    await page_.signUp(oldDevice.page, "ruth", "Ruth");
    await expectVisible(oldDevice.page, "#backup-notice");
    await expectText(oldDevice.page, "#activity", "Account created");
  });

  await step("the operator issues a recovery link; the owner's page lists it", async () => {
    link = operator("create", "--username", "ruth", "--note", "phone lost");
    assert.ok(link.url.startsWith(`${daemon.origin}/enroll#token=de_`), `url ${link.url}`);
    await oldDevice.page.reload();
    await expectText(oldDevice.page, "#enrollments", "Recovery link issued by operator:ops");
    await expectText(oldDevice.page, "#activity", "Recovery link issued");
  });

  await step("on a new device the link adds a passkey and signs in, and says the other sessions ended", async () => {
    newDevice = await Browser.launch();
    resources.extra.push(() => newDevice.close());
    fresh = await newDevice.addAuthenticator(platform);
    await newDevice.presence(fresh, true);
    const { page } = newDevice;
    await page.goto(link.url);
    await expectVisible(page, "#enroll");
    assert.ok(!page.url().includes("token"), `the address bar still shows the token: ${page.url()}`);
    const started = page.waitForRequest((r) => r.url().endsWith("/auth/passkey/register/start"));
    const [start, finish] = await apiAnswers(page, [["POST", "/auth/passkey/register/start"],
                                                    ["POST", "/auth/passkey/register/finish"]],
                                             () => page.click("#enroll-start"));
    assert.equal((await started).postDataJSON().enrollment_token, link.token, "register/start carries the link's token");
    assert.equal(start.status, 200);
    assert.equal(start.body.user.name, "ruth");
    assert.equal(start.body.excludeCredentials.length, 1, "the lost passkey is excluded");
    assert.equal(finish.status, 200, JSON.stringify(finish.body));
    assert.equal(finish.body.sessions_revoked, 1);
    await expectText(page, "#status", "Your other sessions were signed out");
    await expectText(page, "#who", "Signed in as Ruth (ruth)");
    await expectText(page, "#activity", "Recovery link used");
    assert.equal(await page.locator("#passkeys li").count(), 2, "the old passkey is still listed");
    assert.deepEqual(database.rows("SELECT count(*) FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.username = 'ruth'"),
                     [["2"]]);
  });

  await step("the old device's page falls back to the signed-out view", async () => {
    await oldDevice.presence(lost, false); // its autofill request must wait, not sign in again
    await oldDevice.page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await expectVisible(oldDevice.page, "#signed-out");
    await expectText(oldDevice.page, "#status", "Your session has ended");
    assert.equal(await oldDevice.page.locator("#signed-in").isHidden(), true);
  });

  await step("the same link again is explained plainly", async () => {
    const { page } = newDevice;
    await page.goto(link.url);
    const answer = await apiAnswer(page, "POST", "/auth/passkey/register/start", () => page.click("#enroll-start"));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, "enrollment_invalid");
    await expectVisible(page, '#enroll-problem[data-code="enrollment_invalid"]');
    await expectText(page, "#enroll-problem", "already used");
  });

  await step("a link in its cooling-off delay says from when; the owner cancels it", async () => {
    const delayed = operator("create", "--username", "ruth", "--delay", "48h");
    const { page } = newDevice;
    await page.goto(delayed.url);
    const answer = await apiAnswer(page, "POST", "/auth/passkey/register/start", () => page.click("#enroll-start"));
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error, "enrollment_pending");
    assert.equal(answer.body.usable_at, delayed.usable_at);
    await expectText(page, "#enroll-problem", "cannot be used yet");

    await page.goto(`${daemon.origin}/`); // still signed in by the cookie
    await expectText(page, "#enrollments", "waiting");
    const cancel = await apiAnswer(page, "DELETE", `/auth/enrollments/${delayed.id}`,
                                   () => page.click(`#enrollments li[data-id="${delayed.id}"] button`));
    assert.equal(cancel.status, 204);
    await expectVisible(page, "#no-enrollments");
    await expectText(page, "#activity", "Recovery link cancelled");
    assert.deepEqual(database.rows(`SELECT revoke_reason FROM enrollments WHERE id = '${delayed.id}'`), [["owner"]]);
  });

  await step("an incomplete link is explained without asking the service", async () => {
    const { page } = newDevice;
    const calls = [];
    page.on("request", (r) => { if (r.url().includes("/auth/")) calls.push(r.url()); });
    await page.goto(`${daemon.origin}/enroll#token=de_cut-short`);
    await expectText(page, "#enroll-problem", "This link is incomplete");
    assert.equal(await page.locator("#enroll-start").isHidden(), true);
    assert.deepEqual(calls, []);
  });

  await step("a backed-up passkey clears the backup notice", async () => {
    const { page } = newDevice;
    await page.goto(`${daemon.origin}/`);
    await expectVisible(page, "#backup-notice");
    await newDevice.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: fresh });
    const cloud = await newDevice.addAuthenticator(synced);
    await newDevice.presence(cloud, true);
    const finish = await apiAnswer(page, "POST", "/auth/passkey/register/finish", () => page.click("#add-backup"));
    assert.equal(finish.status, 200, JSON.stringify(finish.body));
    assert.equal(finish.body.credential.backup_state, true);
    await expectText(page, "#status", "Backup passkey added");
    assert.equal(await page.locator("#backup-notice").isHidden(), true);
  });
});

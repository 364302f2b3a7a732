// WebAuthn Level 3 signals through the package (DaarionAuth), in the example
// app, reaching Chromium's CDP virtual authenticators: after a sign-in the
// authenticator drops a passkey the account no longer has
// (signalAllAcceptedCredentials); removing a passkey on the account page
// makes the authenticator holding it forget it; a new display name through
// api.updateMe reaches the authenticator's passkey (signalCurrentUserDetails,
// reported as credentialUpdated); a sign-in that ends in unknown_credential
// makes the authenticator forget that passkey (signalUnknownCredential).

import crypto from "node:crypto";
import { autofillPending, base64url, expectAuth, expectPath, harness, platformAuthenticator, startExample } from "./lib/exampleApp.mjs";

const { Browser, runTest } = harness;
const securityKey = { protocol: "ctap2", ctap2Version: "ctap2_1", transport: "usb", hasResidentKey: true,
                      hasUserVerification: true, isUserVerified: true };

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_signals", async ({ step, resources }) => {
  const { appOrigin, database } = await startExample("client_signals", resources);
  const browser = (resources.browser = await Browser.launch());
  const { page } = browser;
  const phone = await platformAuthenticator(browser);
  const held = async (id) => (await browser.credentials(id)).map((c) => base64url(c.credentialId));
  const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  let phonePasskey;

  const signOut = async () => {
    await browser.presence(phone, false);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expectAuth(page, "signed-out");
    await expectPath(page, "/onboarding");
    await autofillPending(page);
    await browser.presence(phone, true);
  };
  const signIn = async (username) => {
    if (username) await page.getByLabel("Username").fill(username);
    await page.getByRole("button", { name: "I have a passkey: sign in" }).click();
  };

  await step("sign up on the phone", async () => {
    await page.goto(`${appOrigin}/onboarding`);
    await autofillPending(page);
    await browser.presence(phone, true);
    await page.getByLabel("Username").fill("signaler");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
    [phonePasskey] = await held(phone);
    check(phonePasskey, "the phone holds the new passkey");
  });

  await step("after a sign-in, a passkey the account no longer has is dropped from the key that holds it", async () => {
    // An old security key still holds a passkey deleted from the account
    // while the key was away (put there through CDP).
    const oldKey = await browser.addAuthenticator(securityKey);
    const [[handle]] = database.rows("SELECT encode(user_handle, 'base64') FROM users WHERE username = 'signaler'");
    const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const stale = crypto.randomBytes(16);
    await browser.cdp.send("WebAuthn.addCredential", { authenticatorId: oldKey, credential: {
      credentialId: stale.toString("base64"), isResidentCredential: true, rpId: "localhost",
      privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      userHandle: handle, signCount: 0, userName: "signaler", userDisplayName: "signaler" } });
    check(same(await held(oldKey), [stale.toString("base64url")]), "the old key holds the stale passkey");
    await signOut();
    const since = browser.webauthnEvents.length;
    await signIn("signaler");
    await expectAuth(page, "signed-in");
    const deleted = await browser.webauthnEvent("credentialDeleted", () => true, { since });
    check(deleted.authenticatorId === oldKey && base64url(deleted.credentialId) === stale.toString("base64url"),
          `deleted ${deleted.credentialId} on ${deleted.authenticatorId}`);
    check((await held(oldKey)).length === 0, "the old key holds nothing");
    check(same(await held(phone), [phonePasskey]), `the phone holds ${await held(phone)}`);
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: oldKey });
  });

  await step("a passkey removed on the account page is forgotten by the security key that holds it", async () => {
    const key = await browser.addAuthenticator(securityKey);
    await browser.presence(phone, false);
    await browser.presence(key, true);
    await page.getByRole("link", { name: "account" }).click();
    await page.locator("#passkeys li").first().waitFor();
    const added = page.waitForResponse((r) => r.url().endsWith("/auth/passkey/register/finish"));
    await page.getByRole("button", { name: "Add a passkey" }).click();
    check((await added).status() === 200, `register/finish answered ${(await added).status()}`);
    await page.locator("#passkeys li").nth(1).waitFor();
    const [keyPasskey] = await held(key);
    await browser.presence(phone, true);

    const since = browser.webauthnEvents.length;
    const [[keyRow]] = database.rows(`SELECT id FROM passkeys WHERE credential_id = '${keyPasskey}'`);
    await page.locator(`#passkeys li[data-passkey="${keyRow}"]`).getByRole("button", { name: "Remove" }).click();
    await page.waitForFunction(() => document.querySelectorAll("#passkeys li").length === 1);
    const deleted = await browser.webauthnEvent("credentialDeleted", () => true, { since });
    check(deleted.authenticatorId === key && base64url(deleted.credentialId) === keyPasskey,
          `deleted ${deleted.credentialId} on ${deleted.authenticatorId}`);
    check((await held(key)).length === 0, "the key holds nothing");
    check(same(await held(phone), [phonePasskey]), "the phone keeps its passkey");
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: key });
  });

  await step("a display name changed on the account page (api.updateMe) reaches the phone's passkey", async () => {
    const names = async () => (await browser.credentials(phone)).map((c) => [c.userName, c.userDisplayName]);
    const [[userName, displayName]] = await names();
    check(userName === "signaler" && displayName !== "Signal Person", `the phone holds ${userName}, ${displayName}`);
    const since = browser.webauthnEvents.length;
    const patched = () => page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().endsWith("/auth/me"));
    const nameField = page.getByLabel("Display name");
    const change = page.getByRole("button", { name: "Change name" });

    // A blank name: refused, shown, and nothing signalled.
    await nameField.fill("   ");
    let answer = patched();
    await change.click();
    check((await answer).status() === 400, `PATCH /auth/me answered ${(await answer).status()}`);
    await page.locator('[data-problem="api"]', { hasText: "invalid_request" }).waitFor();

    await nameField.fill("Signal Person");
    answer = patched();
    await change.click();
    check((await answer).status() === 200, `PATCH /auth/me answered ${(await answer).status()}`);
    await page.locator('[data-note="display-name"]').waitFor();
    const header = await expectAuth(page, "signed-in");
    check(header.includes("Signal Person"), `the header says ${JSON.stringify(header)}`);
    const updated = await browser.webauthnEvent("credentialUpdated", () => true, { since });
    check(updated.authenticatorId === phone && base64url(updated.credential.credentialId) === phonePasskey,
          `updated ${updated.credential.credentialId} on ${updated.authenticatorId}`);
    check(updated.credential.userDisplayName === "Signal Person" && updated.credential.userName === "signaler",
          `the update carries ${updated.credential.userName}, ${updated.credential.userDisplayName}`);
    check(same(await names(), [["signaler", "Signal Person"]]), `the phone holds ${JSON.stringify(await names())}`);
    const seen = browser.webauthnEvents.slice(since).map((e) => e.name);
    check(JSON.stringify(seen) === JSON.stringify(["credentialUpdated"]), `one update, the accepted name's; seen ${seen}`);
  });

  await step("a sign-in with a passkey the service does not know: unknown_credential, and the phone forgets it", async () => {
    await signOut();
    database.rows(`DELETE FROM passkeys WHERE credential_id = '${phonePasskey}'`);
    const since = browser.webauthnEvents.length;
    const finish = page.waitForResponse((r) => r.url().endsWith("/auth/passkey/authenticate/finish"));
    await signIn("");
    const answer = await finish;
    check(answer.status() === 401 && (await answer.json()).error === "unknown_credential", `finish answered ${answer.status()}`);
    const deleted = await browser.webauthnEvent("credentialDeleted", () => true, { since });
    check(base64url(deleted.credentialId) === phonePasskey, `deleted ${deleted.credentialId}`);
    check((await held(phone)).length === 0, "the phone holds nothing");
  });
});

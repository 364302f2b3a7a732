// Where the browser lacks WebAuthn Level 3's JSON methods
// (parseCreationOptionsFromJSON, parseRequestOptionsFromJSON, toJSON), the
// package runs the ceremonies with @simplewebauthn/browser, loaded only
// then. The methods are removed before the page loads; sign-up and sign-in
// must work the same.

import { autofillPending, expectAuth, expectPath, harness, platformAuthenticator, startExample } from "./lib/exampleApp.mjs";

const { Browser, runTest } = harness;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_fallback", async ({ step, resources }) => {
  const { appOrigin, database } = await startExample("client_fallback", resources);
  const browser = (resources.browser = await Browser.launch());
  const { page } = browser;
  await browser.context.addInitScript(() => {
    delete PublicKeyCredential.parseCreationOptionsFromJSON;
    delete PublicKeyCredential.parseRequestOptionsFromJSON;
    delete PublicKeyCredential.prototype.toJSON;
  });
  const authenticator = await platformAuthenticator(browser);
  const scripts = [];
  page.on("request", (r) => { if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname); });

  await step("the scene runs on @simplewebauthn/browser (the native JSON methods are gone)", async () => {
    await page.goto(`${appOrigin}/onboarding`);
    const implementation = await page.locator("[data-webauthn]").getAttribute("data-webauthn");
    check(implementation === "simplewebauthn", `the scene says ${implementation}`);
    await autofillPending(page);
    check(scripts.length >= 2, `@simplewebauthn/browser's chunk is loaded on demand (scripts: ${scripts.join(", ")})`);
  });

  await step("sign-up works", async () => {
    await browser.presence(authenticator, true);
    await page.getByLabel("Username").fill("olduser");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
    const rows = database.rows("SELECT u.username FROM users u JOIN passkeys p ON p.user_id = u.id");
    check(JSON.stringify(rows) === '[["olduser"]]', JSON.stringify(rows));
  });

  await step("sign-in, username first, works", async () => {
    await browser.presence(authenticator, false);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expectPath(page, "/onboarding");
    await autofillPending(page);
    await browser.presence(authenticator, true);
    await page.getByLabel("Username").fill("olduser");
    await page.getByRole("button", { name: "I have a passkey: sign in" }).click();
    await expectAuth(page, "signed-in");
  });

  await step("cancel reads as a cancel here too", async () => {
    await browser.presence(authenticator, false);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expectPath(page, "/onboarding");
    await autofillPending(page);
    await page.getByRole("button", { name: "I have a passkey: sign in" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator('[data-failure="cancelled"]').waitFor({ timeout: 5000 });
    await expectAuth(page, "signed-out");
  });
});

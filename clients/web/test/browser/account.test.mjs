// Passkey management through the package in the browser (the example's
// /account page): usePasskeyRegister adding a passkey to the signed-in
// account, and the API module listing, renaming and removing passkeys,
// with the contract's refusals shown to the person.

import { autofillPending, expectAuth, harness, platformAuthenticator, startExample } from "./lib/exampleApp.mjs";

const { Browser, runTest } = harness;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_account", async ({ step, resources }) => {
  const { appOrigin, database } = await startExample("client_account", resources);
  const browser = (resources.browser = await Browser.launch());
  const { page } = browser;
  let authenticator = await platformAuthenticator(browser);
  const names = () => page.locator("#passkeys [data-name]").allTextContents();
  const passkeysInDatabase = () =>
    database.rows("SELECT p.device_name FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.username = 'keeper' ORDER BY p.created_at")
      .map((row) => row[0]);

  await step("sign up, then the account page lists the one passkey", async () => {
    await page.goto(`${appOrigin}/onboarding`);
    await autofillPending(page);
    await browser.presence(authenticator, true);
    await page.getByLabel("Username").fill("keeper");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
    await page.getByRole("link", { name: "account" }).click();
    await page.locator("#passkeys li").first().waitFor();
    check((await names()).length === 1, `listed ${await names()}`);
  });

  await step("adding a passkey on the authenticator that already holds one: already_registered, nothing added", async () => {
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.locator('[data-failure="already_registered"]').waitFor({ timeout: 10000 });
    check(passkeysInDatabase().length === 1, `passkeys: ${passkeysInDatabase()}`);
  });

  await step("on another authenticator the passkey is added to the same account (no new session)", async () => {
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: authenticator });
    authenticator = await platformAuthenticator(browser);
    await browser.presence(authenticator, true);
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem("daarion.auth")).session_token);
    const finish = page.waitForResponse((r) => r.url().endsWith("/auth/passkey/register/finish"));
    await page.getByRole("button", { name: "Add a passkey" }).click();
    check((await finish).status() === 200, "register/finish");
    check((await finish).request().headers()["authorization"] === `Bearer ${token}`, "finish is sent with the session");
    await page.locator("#passkeys li").nth(1).waitFor();
    check(passkeysInDatabase().length === 2, `passkeys: ${passkeysInDatabase()}`);
    const stillToken = await page.evaluate(() => JSON.parse(localStorage.getItem("daarion.auth")).session_token);
    check(stillToken === token, "the session is the same");
  });

  await step("rename one", async () => {
    page.once("dialog", (dialog) => dialog.accept("Work laptop"));
    const renamed = page.waitForResponse((r) => r.request().method() === "PATCH");
    await page.locator("#passkeys li").first().getByRole("button", { name: "Rename" }).click();
    check((await renamed).status() === 200, "PATCH /auth/passkeys/{id}");
    await page.locator("#passkeys [data-name]", { hasText: "Work laptop" }).waitFor();
    check(passkeysInDatabase().includes("Work laptop"), `passkeys: ${passkeysInDatabase()}`);
  });

  await step("remove one; the last one cannot go (last_credential, shown with its code)", async () => {
    await page.locator("#passkeys li").first().getByRole("button", { name: "Remove" }).click();
    await page.waitForFunction(() => document.querySelectorAll("#passkeys li").length === 1);
    await page.locator("#passkeys li").first().getByRole("button", { name: "Remove" }).click();
    const alert = page.locator('[data-problem="api"]');
    await alert.waitFor();
    check((await alert.textContent()).includes("last_credential"), await alert.textContent());
    check(passkeysInDatabase().length === 1, `passkeys: ${passkeysInDatabase()}`);
  });
});

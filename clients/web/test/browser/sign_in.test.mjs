// Signing in with the package's usePasskeyLogin (through PasskeyScene):
// username first, a discoverable passkey, autofill (conditional mediation),
// and what a person sees on cancel and timeout. The example app is served
// with a 3 s passkey prompt limit (EXAMPLE_CEREMONY_TIMEOUT_MS).

import { autofillPending, expectAuth, expectPath, harness, platformAuthenticator, startExample } from "./lib/exampleApp.mjs";

const { Browser, runTest } = harness;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_sign_in", async ({ step, resources }) => {
  const { appOrigin } = await startExample("client_sign_in", resources, { env: { EXAMPLE_CEREMONY_TIMEOUT_MS: "3000" } });
  const browser = (resources.browser = await Browser.launch());
  const { page } = browser;
  const authenticator = await platformAuthenticator(browser);

  // Signed out with autofill pending, presence on for the buttons.
  const signOut = async () => {
    await browser.presence(authenticator, false);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expectAuth(page, "signed-out");
    await expectPath(page, "/onboarding");
    await autofillPending(page);
    await browser.presence(authenticator, true);
  };

  await step("sign up (the account the rest signs in to)", async () => {
    await page.goto(`${appOrigin}/onboarding`);
    await autofillPending(page);
    await browser.presence(authenticator, true);
    await page.getByLabel("Username").fill("signer");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
    await signOut();
  });

  await step("username first: authenticate/start {username} lists the passkey, finish signs in", async () => {
    await page.getByLabel("Username").fill("signer");
    const start = page.waitForRequest((r) => r.url().endsWith("/auth/passkey/authenticate/start") && r.postData()?.includes("signer"));
    const finish = page.waitForResponse((r) => r.url().endsWith("/auth/passkey/authenticate/finish"));
    await page.getByRole("button", { name: "I have a passkey: sign in" }).click();
    check((await start).postDataJSON().username === "signer", "the start call names the user");
    check((await finish).status() === 200, `finish answered ${(await finish).status()}`);
    await expectAuth(page, "signed-in");
    await expectPath(page, "/city-v2");
    await signOut();
  });

  await step("no username: a discoverable passkey signs in", async () => {
    const start = page.waitForRequest((r) => r.url().endsWith("/auth/passkey/authenticate/start") && r.postData() === "{}");
    await page.getByRole("button", { name: "I have a passkey: sign in" }).click();
    await start;
    await expectAuth(page, "signed-in");
    await signOut();
  });

  await step("autofill: the conditional request pending on the signed-out scene signs in once a passkey is picked", async () => {
    // The virtual authenticator answers a pending conditional request at once
    // when presence is on: a person picking their passkey from the field.
    await page.goto(`${appOrigin}/city-v2`);
    await expectPath(page, "/onboarding");
    const finish = page.waitForResponse((r) => r.url().endsWith("/auth/passkey/authenticate/finish"), { timeout: 15000 });
    check((await finish).status() === 200, "autofill's finish");
    await expectAuth(page, "signed-in");
    await expectPath(page, "/city-v2");
    check((await page.getByLabel("Username").count()) === 0, "no form is left on the page");
    await signOut();
  });

  await step("cancel: the person's Cancel while the passkey prompt waits gives a calm note, no error, and the buttons back", async () => {
    await browser.presence(authenticator, false); // the prompt waits for the person
    let finishes = 0;
    page.on("request", (r) => { if (r.url().endsWith("/authenticate/finish")) finishes++; });
    await page.getByRole("button", { name: "I have a passkey: sign in" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    const note = page.locator('[data-failure="cancelled"]');
    await note.waitFor({ timeout: 5000 });
    check((await note.getAttribute("role")) === "status", "a cancel is a status note, not an alert");
    check((await note.textContent()).includes("cancelled"), await note.textContent());
    check(await page.getByRole("button", { name: "I have a passkey: sign in" }).isEnabled(), "the sign-in button is usable again");
    check(finishes === 0, "nothing was sent to authenticate/finish");
    await expectAuth(page, "signed-out");
  });

  await step("the browser refusing the request (NotAllowedError: no passkey for that name here) reads as a cancel, not an error", async () => {
    await browser.cdp.send("WebAuthn.clearCredentials", { authenticatorId: authenticator });
    await browser.presence(authenticator, true);
    await page.getByLabel("Username").fill("signer");
    await page.getByRole("button", { name: "I have a passkey: sign in" }).click();
    await page.locator('[data-failure="cancelled"]').waitFor({ timeout: 5000 });
    await expectAuth(page, "signed-out");
  });

  await step("timeout: a prompt nobody answers ends after the limit with a note saying so, and a retry works", async () => {
    await browser.presence(authenticator, false);
    await page.getByLabel("Username").fill("patient");
    const started = Date.now();
    await page.getByRole("button", { name: "Create a passkey" }).click();
    const note = page.locator('[data-failure="timed_out"]');
    await note.waitFor({ timeout: 10000 });
    const waited = Date.now() - started;
    check(waited >= 2500 && waited < 9000, `the prompt ended after ${waited} ms (limit 3000)`);
    check((await note.textContent()).includes("timed out"), await note.textContent());
    check((await note.getAttribute("role")) === "status", "a timeout is a status note, not an alert");
    await expectAuth(page, "signed-out");
    await browser.presence(authenticator, true);
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
  });
});

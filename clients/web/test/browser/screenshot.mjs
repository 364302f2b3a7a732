// Screenshots of the example app for the README (same environment as the
// tests): `node test/browser/screenshot.mjs OUT_DIR` saves
// client-onboarding.png (the scene after a cancelled prompt) and
// client-signed-in.png (a guarded page after sign-up).

import path from "node:path";
import { autofillPending, expectAuth, harness, platformAuthenticator, startExample } from "./lib/exampleApp.mjs";

const out = process.argv[2] ?? ".";
await harness.runTest("client_screenshot", async ({ step, resources }) => {
  const { appOrigin } = await startExample("client_screenshot", resources);
  const browser = (resources.browser = await harness.Browser.launch());
  const { page } = browser;
  await page.setViewportSize({ width: 900, height: 760 });
  const authenticator = await platformAuthenticator(browser);
  await step("onboarding", async () => {
    await page.goto(`${appOrigin}/city-v2`);
    await autofillPending(page);
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Display name (optional)").fill("Alice");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator('[data-failure="cancelled"]').waitFor();
    await page.screenshot({ path: path.join(out, "client-onboarding.png") });
  });
  await step("signed in", async () => {
    await browser.presence(authenticator, true);
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
    await page.locator('[data-page="/city-v2"]').waitFor();
    await page.screenshot({ path: path.join(out, "client-signed-in.png") });
  });
});

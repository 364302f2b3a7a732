// A recovery link signs in through the package: the operator issues an
// enrollment link for an account whose passkey is lost (daarion-authd enroll
// create); opened in a browser with a new authenticator, the example app's
// /enroll page (PasskeyScene with the link's token) adds a passkey to that
// account and signs in. The token leaves the address bar at once; a used,
// unknown or not-yet-usable link is explained.

import { execFileSync } from "node:child_process";
import { expectAuth, expectPath, harness, platformAuthenticator, startExample, storedSession } from "./lib/exampleApp.mjs";

const { Browser, runTest } = harness;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_enroll", async ({ step, resources }) => {
  const { appOrigin, database } = await startExample("client_enroll", resources);
  // the operator's command, against the same database, with the app as PUBLIC_URL
  const operator = (...args) => JSON.parse(execFileSync(process.env.DAARION_AUTHD, ["enroll", ...args], {
    env: { ...process.env, DATABASE_URL: database.url, PUBLIC_URL: appOrigin, ORIGIN: appOrigin },
    encoding: "utf8",
  }));
  const browser = (resources.browser = await Browser.launch());
  const { page } = browser;
  const lost = await platformAuthenticator(browser);

  await step("ruth signs up on one device", async () => {
    await page.goto(`${appOrigin}/onboarding`);
    await page.locator('[data-autofill="pending"]').waitFor();
    await browser.presence(lost, true);
    await page.getByLabel("Username").fill("ruth");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
  });

  let link;
  let fresh;
  await step("the operator issues a recovery link (enroll create --username ruth)", async () => {
    link = operator("create", "--username", "ruth");
    check(link.url.startsWith(`${appOrigin}/enroll#token=de_`), `url ${link.url}`);
  });

  await step("on a new device the link opens the scene for ruth's account, and the token leaves the address bar", async () => {
    await browser.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: lost });
    await page.evaluate(() => localStorage.clear());
    fresh = await platformAuthenticator(browser);
    await browser.presence(fresh, true);
    await page.goto(link.url);
    await page.getByRole("heading", { name: "Add a passkey to your account" }).waitFor();
    check(!page.url().includes("token"), `the address still shows the token: ${page.url()}`);
    const start = page.waitForRequest((r) => r.url().endsWith("/auth/passkey/register/start"));
    await page.getByRole("button", { name: "Add a passkey" }).click();
    check((await start).postDataJSON().enrollment_token === link.token, "register/start carries the link's token");
    await expectAuth(page, "signed-in");
    await expectPath(page, "/city-v2");
    check((await storedSession(page)).actor.username === "ruth", "signed in as ruth");
    const rows = database.rows("SELECT count(*) FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.username = 'ruth'");
    check(rows[0][0] === "2", `ruth has ${rows[0][0]} passkeys`);
  });

  await step("the same link again: enrollment_invalid, shown with its code", async () => {
    await browser.presence(fresh, false); // else the signed-out page's autofill signs ruth in again at once
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto(link.url);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.locator('[role="alert"][data-code="enrollment_invalid"]').waitFor();
    await expectAuth(page, "signed-out");
  });

  await step("a link whose cooling-off delay has not passed: enrollment_pending", async () => {
    const delayed = operator("create", "--username", "ruth", "--delay", "48h");
    await page.goto(delayed.url);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.locator('[role="alert"][data-code="enrollment_pending"]').waitFor();
  });

  await step("a link without a well-formed token says so, and calls nothing", async () => {
    await page.goto(`${appOrigin}/enroll#token=not-a-token`);
    await page.getByText("This link is incomplete").waitFor();
  });
});

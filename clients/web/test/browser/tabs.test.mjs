// One store for every tab of the origin: a second tab sees the first sign
// in and sign out (storage events), and a token that was rotated out from
// under the store (a copy used elsewhere) clears it in every tab the moment
// the service answers token_reused.

import { autofillPending, expectAuth, expectPath, harness, platformAuthenticator, startExample, storedSession } from "./lib/exampleApp.mjs";

const { Browser, request, runTest } = harness;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_tabs", async ({ step, resources }) => {
  const { appOrigin, daemon, database } = await startExample("client_tabs", resources);
  const browser = (resources.browser = await Browser.launch());
  const first = browser.page;
  const authenticator = await platformAuthenticator(browser);
  const second = await browser.context.newPage();
  const api = daemon.origin.replace("localhost", "127.0.0.1");

  await step("two tabs, both signed out, both on /onboarding", async () => {
    await first.goto(`${appOrigin}/city-v2`);
    await second.goto(`${appOrigin}/space`);
    await expectPath(first, "/onboarding");
    await expectPath(second, "/onboarding");
    await autofillPending(first);
    await autofillPending(second);
  });

  await step("signing up in the first tab signs in the second: it leaves /onboarding for the page it wanted", async () => {
    await browser.presence(authenticator, true);
    await first.bringToFront();
    await first.getByLabel("Username").fill("tabby");
    await first.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(first, "signed-in");
    const header = await expectAuth(second, "signed-in");
    check(header.includes("@tabby"), `the second tab's header says ${JSON.stringify(header)}`);
    await expectPath(second, "/space");
    await second.locator('[data-page="/space"]').waitFor();
    check((await storedSession(second)).session_token === (await storedSession(first)).session_token, "both tabs hold one token");
  });

  await step("signing out in the second tab signs out the first: it is sent to /onboarding", async () => {
    await browser.presence(authenticator, false);
    await second.bringToFront();
    await second.getByRole("button", { name: "Sign out" }).click();
    await expectAuth(second, "signed-out");
    await expectAuth(first, "signed-out");
    await expectPath(first, "/onboarding");
    check((await first.locator("#status").textContent()).includes("You signed out"), "the first tab says why");
  });

  let token;
  await step("signing in again (first tab, username first); both tabs follow", async () => {
    await autofillPending(first);
    await browser.presence(authenticator, true);
    await first.bringToFront();
    await first.getByLabel("Username").fill("tabby");
    await first.getByRole("button", { name: "I have a passkey: sign in" }).click();
    await expectAuth(first, "signed-in");
    await expectAuth(second, "signed-in");
    token = (await storedSession(first)).session_token;
  });

  await step("the stored token is rotated out elsewhere (a copy refreshed by someone else): the service still knows it", async () => {
    const refreshed = await request("POST", `${api}/auth/session/refresh`, { headers: { Authorization: `Bearer ${token}` } });
    check(refreshed.status === 200, `refresh with the copy: ${refreshed.status} ${refreshed.body}`);
    check((await storedSession(first)).session_token === token, "the store still holds the old token");
  });

  await step("the store's next call presents it: token_reused, and the store clears in both tabs with the reason shown", async () => {
    await browser.presence(authenticator, false); // else a signed-out tab's autofill signs tabby in again at once
    const me = first.waitForResponse((r) => r.url().endsWith("/auth/me"));
    await first.goto(`${appOrigin}/messenger`); // a reload checks the stored session with /auth/me
    const answer = await me;
    check(answer.status() === 401 && (await answer.json()).error === "token_reused", `GET /auth/me: ${answer.status()}`);
    await expectPath(first, "/onboarding");
    const header = await expectAuth(first, "signed-out");
    check(header.includes("ended for safety"), `the first tab says ${JSON.stringify(header)}`);
    await expectAuth(second, "signed-out");
    await expectPath(second, "/onboarding");
    check((await storedSession(second)).session_token === undefined, "nothing of the session is left in localStorage");
    const live = database.rows("SELECT count(*) FROM sessions WHERE revoked_at IS NULL AND rotated_at IS NULL")[0][0];
    check(live === "0", `the whole session family is revoked (${live} live sessions)`);
  });
});

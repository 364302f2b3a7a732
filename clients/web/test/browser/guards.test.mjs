// RequireAuth on the DAARION task's pages: each of /city-v2, /space,
// /messenger and /agent-hub sends a visitor who is not signed in to
// /onboarding and renders for a signed-in one; after sign-in the visitor
// lands on the page they asked for; signing out sends them back.

import { autofillPending, expectAuth, expectPath, harness, platformAuthenticator, startExample } from "./lib/exampleApp.mjs";

const { Browser, runTest } = harness;
const PAGES = [["/city-v2", "City"], ["/space", "Space"], ["/messenger", "Messenger"], ["/agent-hub", "Agent Hub"]];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_guards", async ({ step, resources }) => {
  const { appOrigin } = await startExample("client_guards", resources);
  const browser = (resources.browser = await Browser.launch());
  const { page } = browser;
  const authenticator = await platformAuthenticator(browser);

  for (const [path] of PAGES) {
    await step(`signed out, ${path} redirects to /onboarding and shows none of its content`, async () => {
      await page.goto(`${appOrigin}${path}`);
      await expectPath(page, "/onboarding");
      await page.getByRole("heading", { name: "Join DAARION with a passkey" }).waitFor();
      check((await page.locator("[data-page]").count()) === 0, "a guarded page rendered");
    });
  }

  await step("sign-up from a redirect lands on the page asked for (/messenger)", async () => {
    await page.goto(`${appOrigin}/messenger`);
    await expectPath(page, "/onboarding");
    await autofillPending(page);
    await browser.presence(authenticator, true);
    await page.getByLabel("Username").fill("guarded");
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(page, "signed-in");
    await expectPath(page, "/messenger");
    await page.locator('[data-page="/messenger"]').waitFor();
  });

  for (const [path, title] of PAGES) {
    await step(`signed in, ${path} renders (loaded directly)`, async () => {
      await page.goto(`${appOrigin}${path}`);
      await expectPath(page, path);
      await page.locator(`[data-page="${path}"]`).getByRole("heading", { name: title }).waitFor();
      check((await page.locator(`[data-page="${path}"]`).textContent()).includes("Welcome, guarded"), "the page greets the actor");
    });
  }

  await step("signed in, the nav moves between the pages without leaving the app", async () => {
    await page.getByRole("link", { name: "agent-hub" }).click();
    await expectPath(page, "/agent-hub");
    await page.locator('[data-page="/agent-hub"]').waitFor();
  });

  await step("/onboarding while signed in goes on to /city-v2", async () => {
    await page.goto(`${appOrigin}/onboarding`);
    await expectPath(page, "/city-v2");
  });

  await step("signing out on a guarded page sends the visitor to /onboarding, and every page redirects again", async () => {
    await browser.presence(authenticator, false);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expectPath(page, "/onboarding");
    await expectAuth(page, "signed-out");
    for (const [path] of PAGES) {
      await page.goto(`${appOrigin}${path}`);
      await expectPath(page, "/onboarding");
    }
  });

  await step("a stored session the service no longer knows: the guard lets the page go and redirects once /auth/me says invalid_session", async () => {
    await page.evaluate(() => localStorage.setItem("daarion.auth", JSON.stringify({
      v: 1, session_token: "A".repeat(43), expires_at: null, issued_at: Date.now(),
      actor: { actor_id: "user:x", actor_type: "human", username: "ghost", microdao_ids: [], roles: [], memberships: [] },
    })));
    const me = page.waitForResponse((r) => r.url().endsWith("/auth/me"));
    await page.goto(`${appOrigin}/space`);
    check((await me).status() === 401, `GET /auth/me answered ${(await me).status()}`);
    await expectPath(page, "/onboarding");
    const header = await expectAuth(page, "signed-out");
    check(header.includes("Your session has ended"), `the header says ${JSON.stringify(header)}`);
  });
});

// The store rotates its token before it ages (the example app is served with
// EXAMPLE_ROTATE_AFTER_MS=2500 instead of the default hour): with two tabs
// open one tab leads and rotates, one POST /auth/session/refresh per period,
// never two with the same token (that would be token_reused and end the
// session), and both tabs carry on with the new token.

import { autofillPending, expectAuth, harness, platformAuthenticator, startExample, storedSession } from "./lib/exampleApp.mjs";

const { Browser, request, runTest } = harness;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

await runTest("client_rotation", async ({ step, resources }) => {
  const { appOrigin, daemon } = await startExample("client_rotation", resources, { env: { EXAMPLE_ROTATE_AFTER_MS: "2500" } });
  const browser = (resources.browser = await Browser.launch());
  const first = browser.page;
  const authenticator = await platformAuthenticator(browser);
  const api = daemon.origin.replace("localhost", "127.0.0.1");
  const refreshes = [];
  const rotatingTabs = new Set();
  browser.context.on("request", (r) => {
    if (r.url().endsWith("/auth/session/refresh") && r.method() === "POST") {
      refreshes.push(r.headers()["authorization"]);
      rotatingTabs.add(r.frame().page());
    }
  });
  const refused = [];
  browser.context.on("response", (r) => { if (r.status() === 401) refused.push(`${r.url()} ${r.status()}`); });

  let original;
  await step("sign up in one tab, open a second", async () => {
    await first.goto(`${appOrigin}/onboarding`);
    await autofillPending(first);
    await browser.presence(authenticator, true);
    await first.getByLabel("Username").fill("rotor");
    await first.getByRole("button", { name: "Create a passkey" }).click();
    await expectAuth(first, "signed-in");
    original = (await storedSession(first)).session_token;
    const second = await browser.context.newPage();
    await second.goto(`${appOrigin}/space`);
    await expectAuth(second, "signed-in");
  });

  await step("after a rotation period the token in localStorage is a new one, rotated by one tab with the old token", async () => {
    const deadline = Date.now() + 15000;
    while ((await storedSession(first)).session_token === original && Date.now() < deadline) await first.waitForTimeout(200);
    const rotated = (await storedSession(first)).session_token;
    check(rotated !== original, "the token was not rotated within 15 s");
    check(refreshes[0] === `Bearer ${original}`, `the first refresh presented ${refreshes[0]}`);
  });

  await step("three periods later: one refresh per period, each with a different token, and no refusal", async () => {
    await first.waitForTimeout(3 * 2500 + 500);
    const presented = new Set(refreshes);
    check(presented.size === refreshes.length, `a token was presented twice for refresh: ${refreshes.join(", ")}`);
    check(refreshes.length >= 3 && refreshes.length <= 6, `${refreshes.length} refreshes in ~4 periods`);
    check(refused.length === 0, `refused: ${refused.join("; ")}`);
    check(rotatingTabs.size === 1, `${rotatingTabs.size} tabs rotated; one leads (Web Locks)`);
    for (const page of browser.context.pages()) await expectAuth(page, "signed-in");
  });

  await step("the token both tabs now hold is the live one; the original is dead", async () => {
    const current = (await storedSession(first)).session_token;
    const me = await request("GET", `${api}/auth/me`, { headers: { Authorization: `Bearer ${current}` } });
    check(me.status === 200, `GET /auth/me with the current token: ${me.status} ${me.body}`);
    const second = browser.context.pages()[1];
    check((await storedSession(second)).session_token === current, "the second tab holds the same token");
    const old = await request("GET", `${api}/auth/me`, { headers: { Authorization: `Bearer ${original}` } });
    check(old.status === 401 && JSON.parse(old.body).error === "token_reused", `GET /auth/me with the original: ${old.status} ${old.body}`);
  });
});

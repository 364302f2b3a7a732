// The demo page served by another origin (as the DAARION frontend on
// http://localhost:3000 is) calling the API across origins. An origin in
// ORIGIN signs up and in; one that is not is refused by CORS, and nothing
// about it reaches the database. The same page embedded in a cross-origin
// iframe signs in only under a page listed in TOP_ORIGINS (clientDataJSON's
// crossOrigin and topOrigin); under any other the API answers origin_mismatch.
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { Database, Daemon, Browser, freePort, request, expectText, expectVisible, runTest } = require("./lib/harness");
const page_ = require("./lib/demo_page");

const demoDir = path.join(__dirname, "..", "..", "server", "demo");

// A tiny frontend: the demo's files, with the API's origin in its meta tag.
async function serveFrontend(apiOrigin) {
  const port = await freePort();
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
  const server = http.createServer((req, res) => {
    const name = req.url === "/" ? "index.html" : req.url.replace(/^\/demo\//, "");
    if (!/^[a-z]+\.(html|js|css)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    let body = fs.readFileSync(path.join(demoDir, name), "utf8");
    if (name === "index.html") {
      body = body.replace('<meta name="daarion-api" content="">', `<meta name="daarion-api" content="${apiOrigin}">`);
    }
    res.writeHead(200, { "Content-Type": `${types[path.extname(name)]}; charset=utf-8` }).end(body);
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { origin: `http://localhost:${port}`, close: () => new Promise((r) => server.close(r)) };
}

// A page of another origin that embeds `frameUrl` in an iframe allowed to
// use WebAuthn (Permissions Policy publickey-credentials-get/-create).
async function serveEmbeddingPage(frameUrl) {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    if (req.url !== "/") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(
      `<!doctype html><title>portal</title><h1>A page that embeds the sign-in</h1>
       <iframe src="${frameUrl}" width="800" height="900"
               allow="publickey-credentials-get *; publickey-credentials-create *"></iframe>`);
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { origin: `http://localhost:${port}`, close: () => new Promise((r) => server.close(r)) };
}

// Signs in username-first inside the embedded page; the API's answer.
async function signInEmbedded(browser, topOrigin, authenticatorId, username) {
  const { page } = browser;
  await browser.presence(authenticatorId, false);
  await page.goto(`${topOrigin}/`);
  const frame = page.frameLocator("iframe");
  await frame.locator("#signed-out").waitFor({ state: "visible", timeout: 15000 });
  await frame.locator("#autofill-state[data-state]").waitFor({ state: "attached", timeout: 15000 });
  await browser.presence(authenticatorId, true);
  await frame.locator("#sign-in-username").fill(username);
  const finish = page.waitForResponse((r) => new URL(r.url()).pathname === "/auth/passkey/authenticate/finish",
                                      { timeout: 20000 });
  await frame.locator("#sign-in").click();
  const answer = await finish;
  const sent = answer.request().postDataJSON();
  return { status: answer.status(), body: await answer.json(), frame,
           clientData: JSON.parse(Buffer.from(sent.response.clientDataJSON, "base64url").toString()) };
}

function preflight(daemon, origin) {
  return request("OPTIONS", `${daemon.origin}/auth/passkey/register/start`, {
    headers: { Origin: origin, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "content-type,authorization" },
  });
}

runTest("cross_origin", async ({ step, resources }) => {
  const database = resources.database = Database.create("cross_origin");
  // The daemon's port is not known before it starts, so the frontends point
  // at a port reserved first.
  const apiPort = await freePort();
  const allowed = await serveFrontend(`http://localhost:${apiPort}`);
  const refused = await serveFrontend(`http://localhost:${apiPort}`);
  const portal = await serveEmbeddingPage(`${allowed.origin}/`); // listed in TOP_ORIGINS
  const stranger = await serveEmbeddingPage(`${allowed.origin}/`); // not listed
  resources.extra.push(allowed.close, refused.close, portal.close, stranger.close);
  const daemon = resources.daemon = await Daemon.start(database, { PORT: String(apiPort), ORIGIN: allowed.origin,
                                                                   TOP_ORIGINS: portal.origin });
  assert.equal(daemon.port, apiPort);
  const browser = resources.browser = await Browser.launch();
  const { page } = browser;
  const phone = await browser.addAuthenticator({ protocol: "ctap2", transport: "internal", hasResidentKey: true,
                                                 hasUserVerification: true, isUserVerified: true });

  await step("preflight: the allowed origin is let in, the other is not", async () => {
    const yes = await preflight(daemon, allowed.origin);
    assert.ok(yes.status === 200 || yes.status === 204, `preflight for ${allowed.origin} answered ${yes.status}`);
    assert.equal(yes.headers["access-control-allow-origin"], allowed.origin);
    assert.match(yes.headers["access-control-allow-headers"] || "", /authorization/i);
    const no = await preflight(daemon, refused.origin);
    assert.equal(no.status, 403, `preflight for ${refused.origin} answered ${no.status}`);
    assert.equal(no.headers["access-control-allow-origin"], undefined,
                 `no Access-Control-Allow-Origin for ${refused.origin} (got ${JSON.stringify(no.headers)})`);
  });

  await step("from the allowed origin: sign-up across origins", async () => {
    await page_.openSignedOut(browser, `${allowed.origin}/`, [phone]);
    const { result } = await page_.signUp(page, "erin", "Erin");
    assert.ok(result.session_token);
    const [[users]] = database.rows("SELECT count(*) FROM users WHERE username = 'erin'");
    assert.equal(users, "1", "the account exists");
  });

  await step("from the allowed origin: sign-out and sign-in username-first", async () => {
    await page_.signOut(browser, [phone]);
    await page_.signInWithUsername(page, "erin");
    await expectText(page, "#me", '"username": "erin"');
  });

  await step("from an origin not allowed: the browser refuses the API's answers", async () => {
    await page.goto(`${refused.origin}/`);
    await expectVisible(page, "#signed-out");
    await expectText(page, "#error", "network_error"); // GET /auth/me at load
    await page.fill("#sign-up-username", "mallory");
    await page.click("#sign-up");
    await expectText(page, "#error", "register/start did not reach the API");
    const [[users]] = database.rows("SELECT count(*) FROM users WHERE username = 'mallory'");
    assert.equal(users, "0", "no account was made from the refused origin");
  });

  await step("a ceremony whose clientDataJSON names another origin is refused", async () => {
    // The daemon's own API check, beyond CORS: a sign-in done on the refused
    // origin's page, posted by a client that ignores CORS.
    const start = await request("POST", `${daemon.origin}/auth/passkey/authenticate/start`, {
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "erin" }) });
    assert.equal(start.status, 200, `authenticate/start answered ${start.status}: ${start.body}`);
    const options = JSON.parse(start.body);
    await browser.presence(phone, true);
    const response = await page.evaluate(async (json) => {
      const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
      return credential.toJSON();
    }, options);
    const finish = await request("POST", `${daemon.origin}/auth/passkey/authenticate/finish`, {
      headers: { "Content-Type": "application/json", Origin: refused.origin }, body: JSON.stringify(response) });
    assert.equal(finish.status, 400, `finish answered ${finish.status}: ${finish.body}`);
    assert.equal(JSON.parse(finish.body).error, "origin_mismatch");
  });

  await step("the audit trail has the cross-origin sign-up and sign-in, and the refused one", async () => {
    const events = database.rows("SELECT event, outcome, coalesce(error_code, '') FROM auth_events WHERE event IN ('registration', 'login_success', 'login_failure') ORDER BY id");
    assert.deepEqual(events, [["registration", "success", ""], ["login_success", "success", ""],
                              ["login_failure", "failure", "origin_mismatch"]]);
  });

  await step("embedded in a cross-origin iframe under a page of TOP_ORIGINS: sign-in", async () => {
    const { status, body, frame, clientData } = await signInEmbedded(browser, portal.origin, phone, "erin");
    assert.equal(status, 200, `authenticate/finish answered ${status}: ${JSON.stringify(body)}`);
    assert.deepEqual([clientData.origin, clientData.crossOrigin, clientData.topOrigin],
                     [allowed.origin, true, portal.origin], "Chromium names the embedding page");
    await frame.locator("#who").filter({ hasText: "(erin)" }).waitFor({ timeout: 15000 });
  });

  await step("embedded under a page not in TOP_ORIGINS: origin_mismatch, no session", async () => {
    const sessionsBefore = database.rows("SELECT count(*) FROM sessions");
    const { status, body, frame, clientData } = await signInEmbedded(browser, stranger.origin, phone, "erin");
    assert.deepEqual([clientData.crossOrigin, clientData.topOrigin], [true, stranger.origin]);
    assert.equal(status, 400, `authenticate/finish answered ${status}: ${JSON.stringify(body)}`);
    assert.equal(body.error, "origin_mismatch");
    await frame.locator("#error").filter({ hasText: "origin_mismatch" }).waitFor({ timeout: 15000 });
    assert.deepEqual(database.rows("SELECT count(*) FROM sessions"), sessionsBefore);
    const [last] = database.rows("SELECT event, coalesce(error_code, '') FROM auth_events ORDER BY id DESC LIMIT 1");
    assert.deepEqual(last, ["login_failure", "origin_mismatch"]);
  });
});

// The demo page served by another origin (as the DAARION frontend on
// http://localhost:3000 is) calling the API across origins. An origin in
// ORIGIN signs up and in; one that is not is refused by CORS, and nothing
// about it reaches the database.
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
  resources.extra.push(allowed.close, refused.close);
  const daemon = resources.daemon = await Daemon.start(database, { PORT: String(apiPort), ORIGIN: allowed.origin });
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
});

// What every browser test needs: a fresh database on the test PostgreSQL, the
// real daemon on a free port, Debian's headless Chromium with a CDP virtual
// authenticator, and steps that say what they check and, on failure, what
// the page, the API and the daemon showed.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { Database, Daemon, freePort, request } = require("./service.js");
const { chromium } = (() => {
  try {
    return require("playwright-core");
  } catch {
    throw new Error("playwright-core is not installed: run `npm ci` in tests/browser (scripts/test does)");
  }
})();

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

// ---- Chromium and the virtual authenticator --------------------------------------

class Browser {
  static async launch() {
    const browser = new Browser();
    browser.profile = fs.mkdtempSync(path.join(os.tmpdir(), "daarion-browser-"));
    browser.context = await chromium.launchPersistentContext(browser.profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 900, height: 1000 },
    });
    browser.page = browser.context.pages()[0] || (await browser.context.newPage());
    browser.consoleLines = [];
    browser.page.on("console", (m) => browser.consoleLines.push(`${m.type()}: ${m.text()}`));
    browser.page.on("pageerror", (e) => browser.consoleLines.push(`pageerror: ${e.message}`));
    browser.apiLog = [];
    browser.page.on("response", (r) => {
      browser.apiLog.push(`${r.request().method()} ${r.url()} → ${r.status()}`);
    });
    browser.cdp = await browser.context.newCDPSession(browser.page);
    await browser.cdp.send("WebAuthn.enable");
    // What the virtual authenticators report (the WebAuthn L3 signals arrive
    // as credentialDeleted and credentialUpdated), in order.
    browser.webauthnEvents = [];
    for (const name of ["credentialAdded", "credentialDeleted", "credentialUpdated"]) {
      browser.cdp.on(`WebAuthn.${name}`, (event) => browser.webauthnEvents.push({ name, ...event }));
    }
    return browser;
  }

  // Waits for a WebAuthn domain event (credentialAdded, credentialDeleted,
  // credentialUpdated) that `matches`, seen since `since` (an index into
  // webauthnEvents); says what was seen instead on timeout.
  async webauthnEvent(name, matches = () => true, { since = 0, timeout = 10000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.webauthnEvents.slice(since).find((e) => e.name === name && matches(e));
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no WebAuthn.${name} event within ${timeout} ms; seen: ` +
                        JSON.stringify(this.webauthnEvents.slice(since).map((e) => e.name)));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // A virtual authenticator (CDP WebAuthn.addVirtualAuthenticator). Presence
  // is simulated; it starts switched off so that a page's pending autofill
  // request cannot sign in on its own (see settleAutofill).
  async addAuthenticator(options) {
    const { authenticatorId } = await this.cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { automaticPresenceSimulation: false, ...options },
    });
    return authenticatorId;
  }

  async presence(authenticatorId, enabled) {
    await this.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled });
  }

  async credentials(authenticatorId) {
    return (await this.cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  }

  async close() {
    await this.context.close().catch(() => {});
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}

// ---- what the page shows ---------------------------------------------------------

async function text(page, selector) {
  return ((await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => null)) ?? "").trim();
}

// Waits until `selector`'s text contains `expected`; on timeout says what was
// there instead and what error the page shows.
async function expectText(page, selector, expected, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let actual = "";
  while (Date.now() < deadline) {
    actual = await text(page, selector);
    if (actual.includes(expected)) return actual;
    await page.waitForTimeout(100);
  }
  const error = await text(page, "#error");
  throw new Error(`expected ${selector} to contain ${JSON.stringify(expected)}, it shows ${JSON.stringify(actual)}` +
                  (error ? `; the page's error box says ${JSON.stringify(error)}` : ""));
}

async function expectVisible(page, selector, timeout = 15000) {
  try {
    await page.locator(selector).first().waitFor({ state: "visible", timeout });
  } catch {
    const error = await text(page, "#error");
    throw new Error(`expected ${selector} to be visible` + (error ? `; the page's error box says ${JSON.stringify(error)}` : ""));
  }
}

// Runs `click` and returns what the API answered to each [method, path] in
// `calls`, in that order: {status, headers, body (parsed JSON)}.
async function apiAnswers(page, calls, click) {
  const waits = calls.map(([method, pathname]) => page.waitForResponse(
    (r) => r.request().method() === method && new URL(r.url()).pathname === pathname, { timeout: 20000 })
    .catch(() => { throw new Error(`the page made no ${method} ${pathname} request within 20 s`); }));
  await click();
  // Stop waiting as soon as the page shows an error instead of calling on
  // (the page clears its error box when an action starts).
  let watching = true;
  const pageError = (async () => {
    while (watching) {
      if (await page.locator("#error").isVisible().catch(() => false)) {
        throw new Error(`the page shows an error: ${JSON.stringify(await text(page, "#error"))}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  let responses;
  try {
    responses = await Promise.race([Promise.all(waits), pageError]);
  } finally {
    watching = false;
    waits.forEach((w) => w.catch(() => {}));
    pageError.catch(() => {});
  }
  const answers = [];
  for (const response of responses) {
    const raw = await response.text().catch(() => "");
    let body = raw;
    try { body = raw ? JSON.parse(raw) : null; } catch { /* not JSON: keep the text */ }
    answers.push({ status: response.status(), headers: await response.allHeaders(), body });
  }
  return answers;
}

async function apiAnswer(page, method, pathname, click) {
  return (await apiAnswers(page, [[method, pathname]], click))[0];
}

// The signed-out page keeps a conditional-mediation (autofill) request
// pending. With presence off it cannot resolve; once the page says it is
// pending (or that autofill is unavailable, as with only a U2F key), presence
// goes back on for the button ceremonies.
async function settleAutofill(browser, authenticatorIds) {
  await browser.page.locator("#autofill-state[data-state]").waitFor({ state: "attached", timeout: 15000 });
  for (const id of authenticatorIds) await browser.presence(id, true);
}

// ---- running a test --------------------------------------------------------------

// Runs the steps of one test in order, printing each; on failure prints what
// the page, the API calls and the daemon showed, saves a screenshot, exits 1.
async function runTest(name, body) {
  const started = Date.now();
  const resources = { database: null, daemon: null, browser: null, extra: [] };
  let current = "setup";
  let passed = 0;
  const step = async (title, work) => {
    current = title;
    const t0 = Date.now();
    const result = await work();
    passed++;
    console.log(`  ok ${passed} - ${title} (${Date.now() - t0} ms)`);
    return result;
  };
  console.log(`# browser/${name}`);
  let failed = false;
  try {
    await body({ step, resources });
  } catch (error) {
    failed = true;
    console.log(`  not ok ${passed + 1} - ${current}`);
    console.log(`FAILED at step "${current}": ${error.stack || error}`);
    const browser = resources.browser;
    if (browser) {
      console.log(`--- page status: ${JSON.stringify(await text(browser.page, "#status"))}`);
      console.log(`--- page error box: ${JSON.stringify(await text(browser.page, "#error"))}`);
      console.log(`--- HTTP responses seen by the page:\n${browser.apiLog.slice(-25).join("\n")}`);
      console.log(`--- browser console:\n${browser.consoleLines.slice(-25).join("\n")}`);
      const shot = path.join(os.tmpdir(), `daarion-browser-${name}-failure.png`);
      await browser.page.screenshot({ path: shot, fullPage: true }).then(
        () => console.log(`--- screenshot: ${shot}`), () => {});
    }
    if (resources.daemon) console.log(`--- daarion-authd log (tail):\n${resources.daemon.log.split("\n").slice(-40).join("\n")}`);
  } finally {
    for (const cleanup of resources.extra.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    if (resources.browser) await resources.browser.close();
    if (resources.daemon) await resources.daemon.stop();
    if (resources.database) {
      try { resources.database.drop(); } catch (e) { console.log(`could not drop ${resources.database.name}: ${e.message}`); }
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(failed ? `# browser/${name} FAILED after ${passed} passed steps (${seconds} s)`
                     : `# browser/${name}: ${passed} steps passed (${seconds} s)`);
  process.exitCode = failed ? 1 : 0;
}

module.exports = {
  Database, Daemon, Browser, freePort, request, text, expectText, expectVisible, apiAnswer, apiAnswers,
  settleAutofill, runTest,
};

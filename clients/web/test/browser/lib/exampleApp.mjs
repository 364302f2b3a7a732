// The example app for a browser test: the real daemon (tests/browser's
// harness) and the built example served by `vite preview` on a free port,
// the daemon allowing that origin. The example and the package must be
// built first (the client/build CTest fixture, or `npm run build:all`).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../../../", import.meta.url));
const repository = process.env.DAARION_SOURCE_DIR ?? path.resolve(packageDir, "../..");
export const harness = createRequire(import.meta.url)(path.join(repository, "tests/browser/lib/harness.js"));

/** Starts the database, the daemon and the example app; registers their cleanup with runTest's resources. */
export async function startExample(testName, resources, { env = {}, daemonEnv = {} } = {}) {
  if (!existsSync(path.join(packageDir, "example/dist/index.html"))) {
    throw new Error("the example app is not built: run `npm run build:all` in clients/web (CTest's client/build does)");
  }
  const appPort = await harness.freePort();
  const appOrigin = `http://localhost:${appPort}`;
  resources.database = harness.Database.create(testName);
  resources.daemon = await harness.Daemon.start(resources.database, { ORIGIN: appOrigin, ...daemonEnv });
  const app = await servePreview(appPort, { DAARION_AUTH_URL: resources.daemon.origin, ...env });
  resources.extra.push(() => app.stop());
  return { appOrigin, app, daemon: resources.daemon, database: resources.database };
}

async function servePreview(port, env) {
  const vite = path.join(packageDir, "node_modules/vite/bin/vite.js");
  const child = spawn(process.execPath, [vite, "preview", "example", "--port", String(port), "--strictPort", "--bypass-lock"], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (c) => (log += c));
  child.stderr.on("data", (c) => (log += c));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited:\n${log}`);
    try {
      const { status } = await harness.request("GET", `http://localhost:${port}/config.json`);
      if (status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`vite preview did not answer within 30 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    get log() { return log; },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

// ---- what the tests read from the page --------------------------------------------

export const STORAGE_KEY = "daarion.auth";

export async function storedSession(page) {
  const raw = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
  return raw === null ? null : JSON.parse(raw);
}

/** Waits until the header says signed in (or out); returns its text. */
export async function expectAuth(page, state, timeout = 15000) {
  const status = page.locator("#status");
  await status.and(page.locator(`[data-auth="${state}"]`)).waitFor({ timeout }).catch(async () => {
    throw new Error(`expected the header to say ${state}; it says ${JSON.stringify(await status.textContent().catch(() => null))}` +
                    ` at ${page.url()}`);
  });
  return (await status.textContent()).trim();
}

export async function expectPath(page, pathname, timeout = 15000) {
  await page.waitForURL((url) => url.pathname === pathname, { timeout }).catch(() => {
    throw new Error(`expected to be at ${pathname}, the page is at ${page.url()}`);
  });
}

/** CDP reports credential IDs in base64; the API in base64url. */
export function base64url(base64) {
  return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Records each change of the onboarding steps' states, in order, from page load on. */
export async function recordSteps(context) {
  await context.addInitScript(() => {
    window.__steps = [];
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        const li = m.target;
        if (li instanceof HTMLElement && li.dataset.step) window.__steps.push(`${li.dataset.step}:${li.dataset.state}`);
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  });
}

/** The virtual platform authenticator of the tests (CTAP 2.1, internal, resident keys, UV). */
export function platformAuthenticator(browser) {
  return browser.addAuthenticator({
    protocol: "ctap2", ctap2Version: "ctap2_1", transport: "internal",
    hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
  });
}

/** Until the onboarding page's autofill request is pending (it then cannot sign in on its own). */
export async function autofillPending(page) {
  await page.locator('[data-autofill="pending"]').waitFor({ timeout: 15000 });
}

// Saves the demo page signed in (a new account "alice") as a PNG:
//   node screenshot.js ../../docs/screenshots/demo-signed-in.png
// Needs DAARION_TEST_PG and DAARION_AUTHD, as the tests do.
"use strict";

const { Database, Daemon, Browser } = require("./lib/harness");
const page_ = require("./lib/demo_page");

(async () => {
  const out = process.argv[2];
  if (!out) throw new Error("usage: node screenshot.js OUT.png");
  const database = Database.create("screenshot");
  let daemon;
  let browser;
  try {
    daemon = await Daemon.start(database);
    browser = await Browser.launch();
    await browser.page.setViewportSize({ width: 720, height: 760 });
    const phone = await browser.addAuthenticator({ protocol: "ctap2", transport: "internal", hasResidentKey: true,
                                                   hasUserVerification: true, isUserVerified: true });
    await page_.openSignedOut(browser, `${daemon.origin}/`, [phone]);
    await page_.signUp(browser.page, "alice", "Alice");
    await browser.page.screenshot({ path: out, fullPage: true });
    console.log(`saved ${out}`);
  } finally {
    if (browser) await browser.close();
    if (daemon) await daemon.stop();
    database.drop();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

// What a person does on the demo page (server/demo/), step by step, and the
// API's answer to each step, so a test can assert both.
"use strict";

const assert = require("node:assert/strict");
const { apiAnswer, apiAnswers, expectText, expectVisible, settleAutofill } = require("./harness");

// Opens the page signed out, with its autofill request settled (pending, or
// unavailable for authenticators that cannot offer passkeys). Presence is
// switched off first, as in signOut: an authenticator left present by an
// earlier step would answer the new page's autofill request at once.
async function openSignedOut(browser, url, authenticatorIds) {
  for (const id of authenticatorIds) await browser.presence(id, false);
  await browser.page.goto(url);
  await expectVisible(browser.page, "#signed-out");
  await settleAutofill(browser, authenticatorIds);
}

// Returns the creation options the API gave and its register/finish answer.
async function signUp(page, username, displayName) {
  await page.fill("#sign-up-username", username);
  await page.fill("#sign-up-display-name", displayName);
  const [start, finish] = await apiAnswers(page, [["POST", "/auth/passkey/register/start"],
                                                  ["POST", "/auth/passkey/register/finish"]],
                                           () => page.click("#sign-up"));
  assert.equal(start.status, 200, `register/start answered ${start.status}: ${JSON.stringify(start.body)}`);
  assert.equal(finish.status, 200, `register/finish answered ${finish.status}: ${JSON.stringify(finish.body)}`);
  assert.equal(typeof finish.body.session_token, "string", "register/finish returns a session_token");
  assert.equal(finish.body.actor?.username, username, "register/finish names the new actor");
  assert.ok(finish.body.credential?.id, "register/finish returns the new passkey");
  await expectText(page, "#who", `Signed in as ${displayName} (${username})`);
  await expectText(page, "#status", "Account created");
  await expectText(page, "#me", `"username": "${username}"`);
  return { options: start.body, result: finish.body };
}

// Username-first: the API's allowCredentials lists that user's passkeys.
async function signInWithUsername(page, username) {
  await page.fill("#sign-in-username", username);
  const [start, finish] = await apiAnswers(page, [["POST", "/auth/passkey/authenticate/start"],
                                                  ["POST", "/auth/passkey/authenticate/finish"]],
                                           () => page.click("#sign-in"));
  assert.equal(start.status, 200, `authenticate/start answered ${start.status}`);
  assert.ok(start.body.allowCredentials.length >= 1, "username-first start lists the user's passkeys");
  return checkSignedIn(page, finish, username, "Signed in.");
}

// Discoverable: no username, the authenticator names the account.
async function signInDiscoverable(page, username) {
  const [start, finish] = await apiAnswers(page, [["POST", "/auth/passkey/authenticate/start"],
                                                  ["POST", "/auth/passkey/authenticate/finish"]],
                                           () => page.click("#sign-in-passkey"));
  assert.equal(start.status, 200, `authenticate/start answered ${start.status}`);
  assert.deepEqual(start.body.allowCredentials ?? [], [], "discoverable start lists no credentials");
  return checkSignedIn(page, finish, username, "Signed in.");
}

async function checkSignedIn(page, finish, username, status) {
  assert.equal(finish.status, 200, `authenticate/finish answered ${finish.status}: ${JSON.stringify(finish.body)}`);
  assert.equal(finish.body.actor?.username, username, "the API signed in the right user");
  assert.equal(typeof finish.body.session_token, "string");
  const cookie = finish.headers["set-cookie"] || "";
  assert.match(cookie, /session_token=[^;]+;.*HttpOnly/i, `authenticate/finish sets the HttpOnly cookie (got ${JSON.stringify(cookie)})`);
  await expectText(page, "#who", `(${username})`);
  await expectText(page, "#status", status);
  return finish.body;
}

// Signs out; presence is switched off first so the signed-out page's new
// autofill request stays pending instead of signing straight back in.
async function signOut(browser, authenticatorIds) {
  for (const id of authenticatorIds) await browser.presence(id, false);
  const logout = await apiAnswer(browser.page, "POST", "/auth/logout", () => browser.page.click("#sign-out"));
  assert.equal(logout.status, 204, `logout answered ${logout.status}`);
  await expectVisible(browser.page, "#signed-out");
  await expectText(browser.page, "#status", "Signed out.");
  await settleAutofill(browser, authenticatorIds);
}

// The passkeys listed on the page, as their shown names.
async function passkeyNames(page) {
  return page.locator("#passkeys li .name").allTextContents();
}

module.exports = {
  openSignedOut, signUp, signInWithUsername, signInDiscoverable, checkSignedIn, signOut, passkeyNames,
};

// The real service for a test, without a browser: a fresh database on the
// test PostgreSQL (DAARION_TEST_PG), the real daemon (DAARION_AUTHD) on a free
// loopback port, and plain HTTP requests from Node. Used by the browser tests
// (harness.js) and by the client package's tests (clients/web).
"use strict";

const { spawn, execFileSync } = require("node:child_process");
const http = require("node:http");
const net = require("node:net");

function requireEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (scripts/test sets it; see tests/browser/README.md)`);
  return value;
}

// A port nobody listens on right now, on the loopback interface.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---- PostgreSQL ------------------------------------------------------------------

class Database {
  constructor(adminUrl, name) {
    this.adminUrl = adminUrl;
    this.name = name;
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    this.url = url.toString();
  }

  static create(testName) {
    const adminUrl = requireEnv("DAARION_TEST_PG");
    const prefix = `browser_${testName}_`.replace(/[^a-z0-9_]/g, "_");
    // Databases of earlier runs that were killed before they could drop theirs.
    const existing = psql(adminUrl, "SELECT datname FROM pg_database", ["-tA"]).split("\n");
    for (const stale of existing.filter((n) => n.startsWith(prefix))) {
      if (!processAlive(Number(stale.slice(prefix.length)))) psql(adminUrl, `DROP DATABASE IF EXISTS ${stale} WITH (FORCE)`);
    }
    const name = `${prefix}${process.pid}`;
    psql(adminUrl, `CREATE DATABASE ${name}`);
    return new Database(adminUrl, name);
  }

  // Rows of a query as arrays of strings (psql's unaligned output).
  rows(sql) {
    const out = psql(this.url, sql, ["-tA", "-F", "\t"]);
    return out.split("\n").filter((line) => line.length > 0).map((line) => line.split("\t"));
  }

  drop() {
    psql(this.adminUrl, `DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

function psql(url, sql, extra = []) {
  return execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-q", ...extra, "-c", sql],
                      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// ---- the daemon ------------------------------------------------------------------

class Daemon {
  // env: extra settings (ORIGIN, ATTESTATION, …) on top of the test's own.
  static async start(database, env = {}) {
    const binary = requireEnv("DAARION_AUTHD");
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const daemon = new Daemon();
    daemon.port = port;
    daemon.origin = `http://localhost:${port}`;
    daemon.log = "";
    daemon.process = spawn(binary, ["--demo"], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: database.url,
        BIND_ADDRESS: "127.0.0.1", // loopback only
        RP_ID: "localhost",
        RATE_LIMIT: "off",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk) => { daemon.log += chunk.toString(); };
    daemon.process.stdout.on("data", collect);
    daemon.process.stderr.on("data", collect);
    daemon.exited = new Promise((resolve) => daemon.process.once("exit", (code, signal) => resolve({ code, signal })));

    const deadline = Date.now() + 30000;
    let exit = null;
    daemon.exited.then((e) => { exit = e; });
    for (;;) {
      if (exit) throw new Error(`daarion-authd exited at start (${JSON.stringify(exit)}):\n${daemon.log}`);
      try {
        const { status } = await request("GET", `http://127.0.0.1:${port}/health`);
        if (status === 200) return daemon;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`daarion-authd did not answer /health within 30 s:\n${daemon.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

// A plain HTTP request from Node (no browser): {status, headers, body}.
function request(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    if (body !== undefined) headers = { ...headers, "Content-Length": Buffer.byteLength(body) }; // the daemon refuses chunked bodies
    const req = http.request(url, { method, headers }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { data += c; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on("error", reject);
    req.setTimeout(10000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

module.exports = { Database, Daemon, freePort, request, requireEnv };

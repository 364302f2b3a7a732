// The real service for the API tests: tests/browser/lib/service.js (a fresh
// database on DAARION_TEST_PG, daarion-authd from DAARION_AUTHD on a free
// loopback port), typed for TypeScript.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface TestDatabase {
  name: string;
  url: string;
  rows(sql: string): string[][];
  drop(): void;
}

export interface TestDaemon {
  port: number;
  origin: string;
  log: string;
  stop(): Promise<void>;
}

interface ServiceModule {
  Database: { create(testName: string): TestDatabase };
  Daemon: { start(database: TestDatabase, env?: Record<string, string>): Promise<TestDaemon> };
  freePort(): Promise<number>;
}

/** The repository's root: DAARION_SOURCE_DIR (CTest sets it), else found above the working directory. */
export function repositoryRoot(): string {
  if (process.env["DAARION_SOURCE_DIR"]) return process.env["DAARION_SOURCE_DIR"];
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "docs", "openapi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new Error("cannot find the repository (docs/openapi.yaml) above the working directory");
  }
}

const service = createRequire(import.meta.url)(path.join(repositoryRoot(), "tests/browser/lib/service.js")) as ServiceModule;

export const { Database, Daemon, freePort } = service;

/** A database and a daemon for one test file; `stop` drops both. */
export async function startService(name: string, env: Record<string, string> = {}) {
  const database = Database.create(name);
  let daemon: TestDaemon;
  try {
    daemon = await Daemon.start(database, env);
  } catch (error) {
    database.drop();
    throw error;
  }
  return {
    database,
    daemon,
    baseUrl: `http://127.0.0.1:${daemon.port}`,
    async stop() {
      await daemon.stop();
      database.drop();
    },
  };
}

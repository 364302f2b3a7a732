// The example app: React + Vite, importing only @daarion/auth-client's
// public entry points (its built dist/, as an installed package would give).
// Dev and preview servers answer /config.json with where daarion-auth is
// (DAARION_AUTH_URL, default http://localhost:7011), so one build serves
// any daemon.

import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

function runtimeConfig(): Plugin {
  // Optional, for tests that cannot wait the real durations.
  const milliseconds = (name: string) => {
    const value = Number(process.env[name]);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const serve = (_req: unknown, res: { setHeader(k: string, v: string): void; end(body: string): void }) => {
    res.setHeader("Content-Type", "application/json");
    res.setHeader("Cache-Control", "no-store");
    res.end(JSON.stringify({
      authUrl: process.env.DAARION_AUTH_URL ?? "http://localhost:7011",
      ceremonyTimeoutMs: milliseconds("EXAMPLE_CEREMONY_TIMEOUT_MS"),
      rotateAfterMs: milliseconds("EXAMPLE_ROTATE_AFTER_MS"),
    }));
  };
  return {
    name: "daarion-example-config",
    configureServer: (server) => void server.middlewares.use("/config.json", serve),
    configurePreviewServer: (server) => void server.middlewares.use("/config.json", serve),
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [runtimeConfig()],
  resolve: {
    alias: [
      { find: /^@daarion\/auth-client\/react$/, replacement: dist("react.js") },
      { find: /^@daarion\/auth-client$/, replacement: dist("index.js") },
    ],
    dedupe: ["react", "react-dom", "react-router"],
  },
  oxc: { jsx: { runtime: "automatic" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // react-router's "use client" only matters to server components; nothing to say about it here
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: { host: "localhost", port: 3000, strictPort: true },
  preview: { host: "localhost", port: 3000, strictPort: true },
});

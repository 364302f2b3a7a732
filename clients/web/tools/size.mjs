// What the package adds to a page's JavaScript: each entry point bundled and
// minified on its own (React, react-router and @simplewebauthn/browser left
// out: the app has the first two, the third loads only where the browser
// lacks WebAuthn L3's JSON methods), raw and gzip. Run after `npm run build`:
//   node tools/size.mjs
import { gzipSync } from "node:zlib";
import { build } from "vite";

const entries = { core: "dist/index.js", react: "dist/react.js", both: { core: "dist/index.js", react: "dist/react.js" } };
const external = [/^react($|\/)/, /^react-dom($|\/)/, /^react-router($|\/)/, /^@simplewebauthn\//];

for (const [name, entry] of Object.entries(entries)) {
  const result = await build({
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      minify: true,
      lib: { entry, formats: ["es"] },
      rollupOptions: { external },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result).output;
  const code = output.filter((chunk) => chunk.type === "chunk").map((chunk) => chunk.code).join("");
  const what = typeof entry === "string" ? entry : "both entry points";
  console.log(`${name.padEnd(6)} ${what.padEnd(18)} ${String(code.length).padStart(7)} bytes minified, ` +
              `${String(gzipSync(code).length).padStart(6)} gzip`);
}

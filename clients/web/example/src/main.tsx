import { createDaarionAuth } from "@daarion/auth-client";
import { AuthProvider } from "@daarion/auth-client/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { App } from "./App.js";
import "./styles.css";

interface ExampleConfig {
  authUrl: string;
  ceremonyTimeoutMs?: number;
  rotateAfterMs?: number;
}

async function main() {
  const config = (await (await fetch("/config.json")).json()) as ExampleConfig;
  const auth = createDaarionAuth({
    baseUrl: config.authUrl,
    ...(config.ceremonyTimeoutMs ? { ceremonyTimeoutMs: config.ceremonyTimeoutMs } : {}),
    ...(config.rotateAfterMs ? { rotateAfterMs: config.rotateAfterMs } : {}),
  });
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <BrowserRouter>
        <AuthProvider auth={auth}>
          <App />
        </AuthProvider>
      </BrowserRouter>
    </StrictMode>,
  );
}

void main();

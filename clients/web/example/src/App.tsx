// The DAARION frontend's routes in miniature: /onboarding and /enroll are
// open, the task's four pages and the account page sit behind RequireAuth.

import { GUARDED_PAGES, RequireAuth } from "@daarion/auth-client/react";
import { Navigate, Route, Routes } from "react-router";
import { Header } from "./Header.js";
import { AccountPage } from "./pages/AccountPage.js";
import { EnrollPage } from "./pages/EnrollPage.js";
import { GuardedPage } from "./pages/GuardedPage.js";
import { OnboardingPage } from "./pages/OnboardingPage.js";

const titles: Record<(typeof GUARDED_PAGES)[number], string> = {
  "/city-v2": "City",
  "/space": "Space",
  "/messenger": "Messenger",
  "/agent-hub": "Agent Hub",
};

export function App() {
  return (
    <>
      <Header />
      <main>
        <Routes>
          <Route path="/" element={<Navigate to="/city-v2" replace />} />
          <Route path="/onboarding" element={<OnboardingPage />} />
          <Route path="/enroll" element={<EnrollPage />} />
          {GUARDED_PAGES.map((path) => (
            <Route key={path} path={path} element={<RequireAuth><GuardedPage title={titles[path]} path={path} /></RequireAuth>} />
          ))}
          <Route path="/account" element={<RequireAuth><AccountPage /></RequireAuth>} />
          <Route path="*" element={<p>Nothing here.</p>} />
        </Routes>
      </main>
    </>
  );
}

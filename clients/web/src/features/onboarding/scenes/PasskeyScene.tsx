// The onboarding scene of the DAARION task: a person arrives (step 1), the
// page asks daarion-auth for a challenge (2), the browser creates the passkey
// (3), daarion-auth verifies it (4) and answers with a session token (5),
// which goes to localStorage (6) and into the global auth state (7). The
// steps are listed on the page as they happen. The same scene signs in with
// an existing passkey (a button, or autofill in the username field) and,
// given an enrollment token, adds a passkey to an account from a recovery
// or invite link.

import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { ActorIdentity } from "../../../api/types.js";
import type { RegisterStep, SignInStep } from "../../../client/daarionAuth.js";
import { webAuthnImplementation } from "../../../webauthn/ceremony.js";
import type { PasskeyFailure } from "../../../webauthn/passkeyFailure.js";
import { usePasskeyLogin } from "../../auth/hooks/usePasskeyLogin.js";
import { usePasskeyRegister } from "../../auth/hooks/usePasskeyRegister.js";

export interface PasskeySceneProps {
  /** Called once signed in (new account, enrollment link or sign-in). */
  onSignedIn?: (actor: ActorIdentity) => void;
  /** From an enrollment link: the scene adds a passkey to that account instead of creating one. */
  enrollmentToken?: string | null;
  /** Offer passkeys in the username field (conditional mediation). Default true. */
  autofill?: boolean;
  /** A passkey prompt shorter than the service's 60 s. */
  ceremonyTimeoutMs?: number;
  className?: string;
}

const USERNAME = /^[a-z0-9_.-]{3,32}$/;

// The seed's onboarding steps as a person reads them.
const STEPS = [
  "You are here",
  "Ask DAARION for a challenge",
  "Create the passkey on your device",
  "DAARION checks the passkey",
  "Receive your session",
  "Keep the session in this browser",
  "Signed in across DAARION",
] as const;

type StepState = "done" | "current" | "failed" | "pending";

// Which seed step is current for a registration step (steps 5–7 happen together).
function seedStep(step: RegisterStep | null, done: boolean): number {
  if (done || step === "signed_in") return 8;
  switch (step) {
    case "start": return 2;
    case "create": return 3;
    case "finish": return 4;
    default: return 1;
  }
}

const signInLabels: Record<SignInStep, string> = {
  start: "Asking DAARION for a challenge…",
  get: "Waiting for your passkey…",
  finish: "Checking your passkey…",
  signed_in: "Signed in.",
};

const registerLabels: Record<RegisterStep, string> = {
  start: "Asking DAARION for a challenge…",
  create: "Waiting for your device to create the passkey…",
  finish: "DAARION is checking your passkey…",
  signed_in: "Your passkey is ready. You are signed in.",
};

export function PasskeyScene({ onSignedIn, enrollmentToken = null, autofill = true, ceremonyTimeoutMs, className }: PasskeySceneProps) {
  const timeout = ceremonyTimeoutMs !== undefined ? { ceremonyTimeoutMs } : {};
  const registration = usePasskeyRegister(timeout);
  const login = usePasskeyLogin({ autofill: autofill && !enrollmentToken, ...timeout });
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const [last, setLast] = useState<"register" | "login">("register");
  const ids = useId();
  const supported = webAuthnImplementation() !== null;

  const signedInActor =
    registration.result && "actor" in registration.result ? registration.result.actor : login.result?.actor ?? null;
  const onSignedInRef = useRef(onSignedIn);
  onSignedInRef.current = onSignedIn;
  useEffect(() => {
    if (signedInActor) onSignedInRef.current?.(signedInActor); // once per sign-in, whatever the parent re-renders
  }, [signedInActor]);

  const working = registration.status === "working" || login.status === "working";
  const waitingForDevice = (registration.status === "working" && registration.step === "create") ||
    (login.status === "working" && login.step === "get");
  const failure: PasskeyFailure | null = last === "register" ? registration.error : login.error;
  const reached = seedStep(registration.step, registration.status === "done");

  const createAccount = (event: FormEvent) => {
    event.preventDefault();
    setLast("register");
    if (enrollmentToken) {
      void registration.register({ enrollmentToken });
      return;
    }
    const name = username.trim().toLowerCase();
    if (!USERNAME.test(name)) {
      setFormProblem("A username is 3 to 32 characters: a–z, 0–9, and _ . -");
      return;
    }
    setFormProblem(null);
    setUsername(name);
    const shown = displayName.trim();
    void registration.register(shown ? { username: name, displayName: shown } : { username: name });
  };

  const signIn = () => {
    setLast("login");
    setFormProblem(null);
    const name = username.trim().toLowerCase();
    void login.login(USERNAME.test(name) ? { username: name } : {});
  };

  const status = working
    ? registration.status === "working"
      ? registrationStatus(registration.step)
      : login.step
        ? signInLabels[login.step]
        : "Starting…"
    : registration.status === "done" || login.status === "done"
      ? "You are signed in."
      : "";

  return (
    <section className={["daarion-passkey-scene", className].filter(Boolean).join(" ")} aria-labelledby={`${ids}-title`}
      data-webauthn={webAuthnImplementation() ?? "none"}>
      <h1 id={`${ids}-title`}>{enrollmentToken ? "Add a passkey to your account" : "Join DAARION with a passkey"}</h1>
      <p className="daarion-passkey-lead">
        {enrollmentToken
          ? "This link lets you add a passkey to your DAARION account. Your device will ask you to confirm."
          : "No password: your device keeps a passkey for DAARION and unlocks it with your fingerprint, face or PIN."}
      </p>

      {!supported && <p role="alert">This browser cannot use passkeys. Try a current Chrome, Edge, Firefox or Safari.</p>}

      <form onSubmit={createAccount} noValidate>
        {!enrollmentToken && (
          <>
            <label htmlFor={`${ids}-username`}>Username</label>
            <input id={`${ids}-username`} name="username" autoComplete="username webauthn" autoCapitalize="none" spellCheck={false}
              value={username} onChange={(e) => setUsername(e.target.value)} disabled={working} required
              aria-describedby={`${ids}-username-hint`} />
            <small id={`${ids}-username-hint`}>3–32 characters: a–z, 0–9, _ . -</small>
            <label htmlFor={`${ids}-display-name`}>Display name (optional)</label>
            <input id={`${ids}-display-name`} name="display_name" autoComplete="name" maxLength={64}
              value={displayName} onChange={(e) => setDisplayName(e.target.value)} disabled={working} />
          </>
        )}
        <div className="daarion-passkey-actions">
          <button type="submit" disabled={working || !supported} data-action="create">
            {enrollmentToken ? "Add a passkey" : "Create a passkey"}
          </button>
          {!enrollmentToken && (
            <button type="button" onClick={signIn} disabled={working || !supported} data-action="sign-in">
              I have a passkey: sign in
            </button>
          )}
          {waitingForDevice && (
            <button type="button" onClick={() => (registration.status === "working" ? registration.cancel() : login.cancel())}
              data-action="cancel">
              Cancel
            </button>
          )}
        </div>
      </form>

      {formProblem && <p role="alert" className="daarion-passkey-error" data-problem="form">{formProblem}</p>}
      {!working && failure && <FailureNotice failure={failure} />}
      <p role="status" aria-live="polite" className="daarion-passkey-status">{status}</p>
      {!enrollmentToken && login.autofill === "pending" && (
        <p className="daarion-passkey-autofill" data-autofill="pending">Your saved passkeys are offered in the username field.</p>
      )}

      <ol className="daarion-passkey-steps" aria-label="Onboarding steps">
        {STEPS.map((label, index) => {
          const number = index + 1;
          const state: StepState =
            number < reached || number === 1 ? "done"
            : number !== reached ? "pending"
            : registration.status === "working" ? "current"
            : registration.status === "failed" && !registration.error?.isRetryable ? "failed" // a cancel is no failure
            : "pending";
          return (
            <li key={label} data-step={number} data-state={state} aria-current={state === "current" ? "step" : undefined}>
              {label}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function registrationStatus(step: RegisterStep | null): string {
  return step ? registerLabels[step] : "Starting…";
}

// A cancel or timeout is no fault: a calm note and the buttons are ready
// again. Anything else is an error with the service's code for support.
function FailureNotice({ failure }: { failure: PasskeyFailure }) {
  if (failure.isRetryable) {
    return <p role="status" className="daarion-passkey-notice" data-failure={failure.kind}>{failure.message}</p>;
  }
  const code = failure.apiError?.code;
  return (
    <p role="alert" className="daarion-passkey-error" data-failure={failure.kind} data-code={code}>
      {failure.message}
      {code && <> <code>{code}</code></>}
    </p>
  );
}

// The person's passkeys: list, add, rename, remove, through the package's API.

import { type Passkey, isAuthApiError } from "@daarion/auth-client";
import { useDaarionAuth, usePasskeyRegister } from "@daarion/auth-client/react";
import { useCallback, useEffect, useState } from "react";

export function AccountPage() {
  const auth = useDaarionAuth();
  const adding = usePasskeyRegister();
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setPasskeys(await auth.api.listPasskeys());
    } catch (error) {
      setProblem(isAuthApiError(error) ? error.message : String(error));
    }
  }, [auth]);
  useEffect(() => void load(), [load]);

  const act = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(isAuthApiError(error) ? `${error.message} (${error.code})` : String(error));
    }
    await load();
  };

  return (
    <section data-page="/account">
      <h1>Your passkeys</h1>
      <ul id="passkeys">
        {passkeys?.map((p) => (
          <li key={p.id} data-passkey={p.id}>
            <span data-name>{p.device_name}</span> — added {new Date(p.created_at).toLocaleDateString()}
            <button type="button" onClick={() => {
              const name = window.prompt("New name", p.device_name);
              if (name) void act(() => auth.api.renamePasskey(p.id, name));
            }}>Rename</button>
            <button type="button" onClick={() => void act(() => auth.api.deletePasskey(p.id))}>Remove</button>
          </li>
        ))}
      </ul>
      <button type="button" disabled={adding.status === "working"} data-action="add-passkey"
        onClick={() => void adding.register({ addPasskey: true }).then(load)}>Add a passkey</button>
      {adding.error && <p role="alert" data-failure={adding.error.kind}>{adding.error.message}</p>}
      {problem && <p role="alert" data-problem="api">{problem}</p>}
    </section>
  );
}

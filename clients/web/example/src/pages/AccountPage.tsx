// The person's display name and passkeys: change the name; list, add,
// rename, remove passkeys, through the package's API.

import { type Passkey, isAuthApiError } from "@daarion/auth-client";
import { useAuthStore, useDaarionAuth, usePasskeyRegister } from "@daarion/auth-client/react";
import { type FormEvent, useCallback, useEffect, useState } from "react";

export function AccountPage() {
  const auth = useDaarionAuth();
  const adding = usePasskeyRegister();
  const [passkeys, setPasskeys] = useState<Passkey[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const displayName = useAuthStore((state) => state.actor?.display_name ?? "");
  const [newName, setNewName] = useState(displayName);
  const [nameNote, setNameNote] = useState<string | null>(null);
  useEffect(() => setNewName(displayName), [displayName]);

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

  const changeName = (event: FormEvent) => {
    event.preventDefault();
    setNameNote(null);
    void act(async () => {
      await auth.api.updateMe({ display_name: newName.trim() }); // also renames it in the browser's passkey providers
      setNameNote("Display name changed.");
    });
  };

  return (
    <section data-page="/account">
      <h1>Your name</h1>
      <form onSubmit={changeName}>
        <label>Display name{" "}
          <input name="display_name" autoComplete="name" required maxLength={64} value={newName}
            onChange={(event) => setNewName(event.target.value)} />
        </label>
        <button type="submit">Change name</button>
        {nameNote && <span role="status" data-note="display-name">{nameNote}</span>}
      </form>
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

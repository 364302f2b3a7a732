import { useAuthStore } from "@daarion/auth-client/react";

export function GuardedPage({ title, path }: { title: string; path: string }) {
  const actor = useAuthStore((s) => s.actor);
  return (
    <section data-page={path}>
      <h1>{title}</h1>
      <p>Welcome, {actor?.display_name || actor?.username}. Only signed-in people see this page.</p>
      <dl>
        <dt>Actor</dt><dd><code>{actor?.actor_id}</code></dd>
        <dt>Roles</dt><dd>{actor?.roles.length ? actor.roles.join(", ") : "none yet"}</dd>
        <dt>microDAOs</dt><dd>{actor?.microdao_ids.length ? actor.microdao_ids.join(", ") : "none yet"}</dd>
      </dl>
    </section>
  );
}

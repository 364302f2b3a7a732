-- daarion-auth initial schema. Applied once by the migrator inside one
-- transaction; never edited after it has landed (the migrator checks its
-- SHA-256). schema_migrations itself is created by the migrator.

-- People. user_handle is WebAuthn's user.id: random bytes, never the uuid,
-- so an authenticator never learns the database key.
CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{3,32}$'),
    display_name  text NOT NULL DEFAULT '' CHECK (char_length(display_name) <= 64),
    user_handle   bytea NOT NULL UNIQUE CHECK (octet_length(user_handle) BETWEEN 16 AND 64),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    disabled_at   timestamptz
);

-- Passkeys. credential_id is base64url text (at most 1023 bytes decoded);
-- public_key is the COSE key exactly as the authenticator sent it.
CREATE TABLE passkeys (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id         text NOT NULL UNIQUE CHECK (credential_id ~ '^[A-Za-z0-9_-]{1,1364}$'),
    public_key            bytea NOT NULL CHECK (octet_length(public_key) BETWEEN 1 AND 2048),
    sign_count            bigint NOT NULL DEFAULT 0 CHECK (sign_count BETWEEN 0 AND 4294967295),
    device_name           text NOT NULL DEFAULT '' CHECK (char_length(device_name) <= 64),
    aaguid                bytea CHECK (aaguid IS NULL OR octet_length(aaguid) = 16),
    alg                   integer NOT NULL,
    transports            text[] NOT NULL DEFAULT '{}',
    attestation_fmt       text NOT NULL DEFAULT 'none' CHECK (char_length(attestation_fmt) <= 32),
    attestation_type      text NOT NULL DEFAULT 'none' CHECK (char_length(attestation_type) <= 16),
    attestation_trusted   boolean NOT NULL DEFAULT false,
    user_verified         boolean NOT NULL DEFAULT false,
    backup_eligible       boolean NOT NULL DEFAULT false,
    backup_state          boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    last_used_at          timestamptz,
    disabled_at           timestamptz,
    counter_regression_at timestamptz -- set when a counter did not grow: possibly cloned
);
CREATE INDEX passkeys_user_id_idx ON passkeys (user_id);

-- Ceremony state between start and finish, consumed once with
-- DELETE … RETURNING. A sign-up keeps its pending user here until finish.
CREATE TABLE passkey_challenges (
    challenge            bytea PRIMARY KEY CHECK (octet_length(challenge) = 32),
    ceremony             text NOT NULL CHECK (ceremony IN ('registration', 'authentication')),
    user_id              uuid REFERENCES users (id) ON DELETE CASCADE,
    pending_username     text CHECK (pending_username ~ '^[a-z0-9_.-]{3,32}$'),
    pending_display_name text CHECK (char_length(pending_display_name) <= 64),
    pending_user_handle  bytea CHECK (octet_length(pending_user_handle) BETWEEN 16 AND 64),
    device_name          text CHECK (char_length(device_name) <= 64),
    rp_id                text NOT NULL CHECK (char_length(rp_id) BETWEEN 1 AND 253),
    user_verification    text NOT NULL CHECK (user_verification IN ('required', 'preferred', 'discouraged')),
    created_at           timestamptz NOT NULL DEFAULT now(),
    expires_at           timestamptz NOT NULL,
    -- a registration is for an existing user or for a complete pending sign-up
    CHECK (ceremony = 'authentication'
           OR user_id IS NOT NULL
           OR (pending_username IS NOT NULL AND pending_user_handle IS NOT NULL))
);
CREATE INDEX passkey_challenges_expires_at_idx ON passkey_challenges (expires_at);
CREATE INDEX passkey_challenges_user_id_idx ON passkey_challenges (user_id);

-- Sessions. Only SHA-256 of the token is kept. Every rotation of one sign-in
-- shares family_id and the family's absolute expires_at; a rotated-out token
-- presented again revokes the whole family.
CREATE TABLE sessions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    family_id     uuid NOT NULL,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    passkey_id    uuid REFERENCES passkeys (id) ON DELETE SET NULL,
    token_hash    bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    rotated_at    timestamptz,
    revoked_at    timestamptz,
    revoke_reason text CHECK (char_length(revoke_reason) <= 64),
    client_ip     text CHECK (char_length(client_ip) <= 64),
    user_agent    text CHECK (char_length(user_agent) <= 512)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_family_id_idx ON sessions (family_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE user_microdao_memberships (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    microdao_id text NOT NULL CHECK (microdao_id ~ '^microdao:[A-Za-z0-9_.-]{1,64}$'),
    role        text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, microdao_id)
);
CREATE INDEX user_microdao_memberships_microdao_idx ON user_microdao_memberships (microdao_id);

-- Keys of agents and services. Only SHA-256 of the key is kept; key_prefix
-- (the first characters of the key as shown once) lets people tell keys apart.
CREATE TABLE api_keys (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key_hash           bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    key_prefix         text NOT NULL CHECK (char_length(key_prefix) BETWEEN 1 AND 16),
    actor_type         text NOT NULL CHECK (actor_type IN ('agent', 'service')),
    actor_name         text NOT NULL CHECK (actor_name ~ '^[A-Za-z0-9_.-]{1,64}$'),
    microdao_id        text CHECK (microdao_id ~ '^microdao:[A-Za-z0-9_.-]{1,64}$'),
    created_by_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz,
    last_used_at       timestamptz,
    revoked_at         timestamptz
);
CREATE INDEX api_keys_microdao_idx ON api_keys (microdao_id);

-- The audit trail: append-only, one row per ceremony outcome, session change
-- and operator action, written in the same transaction as the change.
-- No foreign keys: the trail outlives the rows it mentions.
CREATE TABLE auth_events (
    id            bigserial PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    event         text NOT NULL CHECK (event ~ '^[a-z_]{1,64}$'),
    outcome       text NOT NULL CHECK (outcome IN ('success', 'failure')),
    error_code    text CHECK (char_length(error_code) <= 64),
    user_id       uuid,
    username      text CHECK (char_length(username) <= 64),
    passkey_id    uuid,
    credential_id text CHECK (char_length(credential_id) <= 1400),
    session_id    uuid,
    client_ip     text CHECK (char_length(client_ip) <= 64),
    user_agent    text CHECK (char_length(user_agent) <= 512),
    actor         text CHECK (char_length(actor) <= 128),
    details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX auth_events_occurred_at_idx ON auth_events (occurred_at);
CREATE INDEX auth_events_user_idx ON auth_events (user_id, occurred_at);
CREATE INDEX auth_events_event_idx ON auth_events (event, occurred_at);

-- The console LISTENs on auth_events; the payload is the new row's id.
CREATE FUNCTION auth_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('auth_events', NEW.id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER auth_events_notify AFTER INSERT ON auth_events
    FOR EACH ROW EXECUTE FUNCTION auth_events_notify();

-- History is not rewritten: UPDATE, DELETE and TRUNCATE are refused.
CREATE FUNCTION auth_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'auth_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER auth_events_append_only BEFORE UPDATE OR DELETE ON auth_events
    FOR EACH ROW EXECUTE FUNCTION auth_events_refuse_change();
CREATE TRIGGER auth_events_no_truncate BEFORE TRUNCATE ON auth_events
    FOR EACH STATEMENT EXECUTE FUNCTION auth_events_refuse_change();

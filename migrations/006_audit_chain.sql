-- A tamper-evident audit trail (docs/AUDIT.md has the whole design).
--
-- 1. Every auth_events row is sealed on insert: xid is its inserting
--    transaction (pg_current_xact_id(), the top-level one) and row_hash the
--    SHA-256 of its content in the canonical encoding below. A trigger does
--    it, so no code path can forget it, and it takes no lock.
-- 2. daarion-authd chains the rows settled since the last checkpoint into
--    audit_checkpoints. A row is settled when its xid is below every
--    transaction of this database running at the job's snapshot
--    (pg_current_snapshot()): none that could still add a row below that
--    horizon is running. Checkpoint N covers exactly the rows with
--    xid_from <= xid < xid_to, and each xid_from is the previous xid_to, so
--    every row lands in exactly one checkpoint however transactions commit.
-- 3. Rows are deleted only by retention, in the transaction that inserts the
--    checkpoint recording it; every other UPDATE or DELETE is still refused.

ALTER TABLE auth_events ADD COLUMN xid xid8, ADD COLUMN row_hash bytea;

-- The hash's canonical encoding counts bytes of UTF-8 text.
DO $$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'daarion-auth needs a UTF8 database (this one is %)', current_setting('server_encoding');
    END IF;
END
$$;

-- SHA-256 over the canonical encoding of a row: the domain tag, then every
-- column in this order, each as a netstring of its PostgreSQL text form
-- ("<byte length>:<UTF-8 bytes>,"), NULL as "-,". uuid is lower-case with
-- hyphens, jsonb as jsonb prints it (keys sorted), occurred_at whole
-- microseconds since the Unix epoch. shared/audit/audit_row.cpp computes
-- the same from the text the verifier reads, so `daarion-authd audit
-- verify` does not trust this function. STABLE (extract() on timestamptz
-- is) so that PostgreSQL inlines it: ~5 us a row instead of ~20.
CREATE FUNCTION audit_row_hash(id bigint, xid xid8, occurred_at timestamptz, event text, outcome text,
                               error_code text, user_id uuid, username text, passkey_id uuid,
                               credential_id text, session_id uuid, client_ip text, user_agent text,
                               actor text, details jsonb)
    RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT sha256(convert_to(
        '20:daarion.audit.row.v1,'
        || octet_length(id::text) || ':' || id::text || ','
        || octet_length(xid::text) || ':' || xid::text || ','
        || octet_length(((extract(epoch FROM occurred_at) * 1000000)::bigint)::text) || ':'
        || ((extract(epoch FROM occurred_at) * 1000000)::bigint)::text || ','
        || octet_length(event) || ':' || event || ','
        || octet_length(outcome) || ':' || outcome || ','
        || coalesce(octet_length(error_code) || ':' || error_code, '-') || ','
        || coalesce(octet_length(user_id::text) || ':' || user_id::text, '-') || ','
        || coalesce(octet_length(username) || ':' || username, '-') || ','
        || coalesce(octet_length(passkey_id::text) || ':' || passkey_id::text, '-') || ','
        || coalesce(octet_length(credential_id) || ':' || credential_id, '-') || ','
        || coalesce(octet_length(session_id::text) || ':' || session_id::text, '-') || ','
        || coalesce(octet_length(client_ip) || ':' || client_ip, '-') || ','
        || coalesce(octet_length(user_agent) || ':' || user_agent, '-') || ','
        || coalesce(octet_length(actor) || ':' || actor, '-') || ','
        || octet_length(details::text) || ':' || details::text || ',', 'UTF8'))
$$;

-- Rows written before this migration are sealed as written by it.
ALTER TABLE auth_events DISABLE TRIGGER auth_events_append_only;
UPDATE auth_events SET xid = pg_current_xact_id();
UPDATE auth_events SET row_hash = audit_row_hash(id, xid, occurred_at, event, outcome, error_code, user_id, username,
                                         passkey_id, credential_id, session_id, client_ip, user_agent, actor,
                                         details);
ALTER TABLE auth_events ENABLE TRIGGER auth_events_append_only;

ALTER TABLE auth_events ALTER COLUMN xid SET NOT NULL,
                        ALTER COLUMN row_hash SET NOT NULL,
                        ADD CONSTRAINT auth_events_row_hash_check CHECK (octet_length(row_hash) = 32);
CREATE INDEX auth_events_xid_idx ON auth_events (xid);

-- Whatever the INSERT said, the seal is the database's.
CREATE FUNCTION auth_events_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.xid := pg_current_xact_id();
    NEW.row_hash := audit_row_hash(NEW.id, NEW.xid, NEW.occurred_at, NEW.event, NEW.outcome, NEW.error_code,
                                   NEW.user_id, NEW.username, NEW.passkey_id, NEW.credential_id, NEW.session_id,
                                   NEW.client_ip, NEW.user_agent, NEW.actor, NEW.details);
    RETURN NEW;
END
$$;
CREATE TRIGGER auth_events_seal BEFORE INSERT ON auth_events
    FOR EACH ROW EXECUTE FUNCTION auth_events_seal();

-- The chain. Each checkpoint is written by daarion-authd (one replica at a
-- time, under an advisory lock): hash is SHA-256 of its canonical encoding
-- (shared/audit/checkpoint.cpp), which includes prev_hash, so the
-- checkpoints form a hash chain; signature is Ed25519 over hash by
-- AUDIT_SIGNING_KEY (both NULL when the daemon has no key). manifest lists
-- (id as 8-byte big-endian, row_hash) of every row covered, in id order;
-- root_hash is its RFC 6962 Merkle tree hash, so verification can name the
-- row that changed and an export can prove one row's inclusion.
-- pruned_through: retention deleted the rows of checkpoints 1..N in the
-- transaction that inserted this one.
CREATE TABLE audit_checkpoints (
    no             bigint PRIMARY KEY CHECK (no >= 1),
    created_at     timestamptz NOT NULL,
    xid_from       xid8 NOT NULL,
    xid_to         xid8 NOT NULL,
    row_count      bigint NOT NULL CHECK (row_count >= 0),
    first_id       bigint,
    last_id        bigint,
    root_hash      bytea NOT NULL CHECK (octet_length(root_hash) = 32),
    manifest       bytea NOT NULL,
    pruned_through bigint,
    prev_hash      bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash           bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
    public_key     bytea CHECK (octet_length(public_key) = 32),
    signature      bytea CHECK (octet_length(signature) = 64),
    created_xid    xid8 NOT NULL,
    CHECK ((public_key IS NULL) = (signature IS NULL))
);
CREATE INDEX audit_checkpoints_xid_to_idx ON audit_checkpoints (xid_to);
CREATE INDEX audit_checkpoints_created_xid_idx ON audit_checkpoints (created_xid);

CREATE FUNCTION audit_checkpoints_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_xid := pg_current_xact_id();
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_checkpoints_stamp BEFORE INSERT ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_stamp();

-- Exporters (`daarion-authd audit export --follow`) LISTEN here; the
-- payload is the new checkpoint's number.
CREATE FUNCTION audit_checkpoints_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('audit_checkpoints', NEW.no::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_checkpoints_notify AFTER INSERT ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_notify();

CREATE FUNCTION audit_checkpoints_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_checkpoints is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_refuse_change();

-- auth_events stays append-only, with one exception: a row below the
-- horizon of a checkpoint that this very transaction recorded as pruned.
CREATE FUNCTION auth_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1
        FROM audit_checkpoints c
        JOIN audit_checkpoints pruned ON pruned.no = c.pruned_through
        WHERE c.created_xid = pg_current_xact_id() AND OLD.xid < pruned.xid_to) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'auth_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER auth_events_append_only ON auth_events;
CREATE TRIGGER auth_events_append_only BEFORE UPDATE OR DELETE ON auth_events
    FOR EACH ROW EXECUTE FUNCTION auth_events_guard();

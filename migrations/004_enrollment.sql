-- Enrollment links: the way back into an account whose passkeys are gone
-- (recovery) and the way into an account an operator created (invite).
-- Whoever holds the link's token may add one passkey to the account, once.
-- Like a session token, the token itself is never stored: only its SHA-256.

CREATE TABLE enrollments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash      bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    kind            text NOT NULL CHECK (kind IN ('recovery', 'invite')),
    note            text NOT NULL DEFAULT '' CHECK (char_length(note) <= 200),
    -- operator:NAME (or user:<uuid> if an account ever issues its own)
    issued_by       text NOT NULL CHECK (char_length(issued_by) BETWEEN 1 AND 128),
    created_at      timestamptz NOT NULL,
    -- a cooling-off delay: the link works only from usable_at, and until
    -- then the account's own sessions see it and may cancel it
    usable_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    used_passkey_id uuid REFERENCES passkeys (id) ON DELETE SET NULL,
    revoked_at      timestamptz,
    revoked_by      text CHECK (char_length(revoked_by) <= 128),
    -- operator, owner, superseded (a newer link for the account)
    revoke_reason   text CHECK (char_length(revoke_reason) <= 64),
    CHECK (usable_at >= created_at AND expires_at > usable_at),
    -- bounds the service enforces too: at most 7 days of delay, 7 days of life
    CHECK (usable_at <= created_at + interval '7 days' AND expires_at <= usable_at + interval '7 days'),
    CHECK (used_at IS NULL OR revoked_at IS NULL),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- The pending links of an account (GET /auth/enrollments, superseding).
CREATE INDEX enrollments_pending_idx ON enrollments (user_id)
    WHERE used_at IS NULL AND revoked_at IS NULL;

-- A registration ceremony started with a link remembers it, so its finish
-- adds the passkey to that account and uses the link up in one transaction.
ALTER TABLE passkey_challenges
    ADD COLUMN enrollment_id uuid REFERENCES enrollments (id) ON DELETE CASCADE;
ALTER TABLE passkey_challenges
    ADD CONSTRAINT passkey_challenges_enrollment_check
    CHECK (enrollment_id IS NULL OR (ceremony = 'registration' AND user_id IS NOT NULL));

-- GET /auth/activity pages through one account's rows by id.
CREATE INDEX auth_events_user_id_id_idx ON auth_events (user_id, id);

-- Deleting or disabling a passkey ends the sessions it signed in.
CREATE INDEX sessions_passkey_id_idx ON sessions (passkey_id);

-- Secrets the service itself needs, shared by every replica of one database.
-- enumeration_shield keys the stand-in credential IDs that
-- authenticate/start returns for unknown usernames, so the answer for a name
-- that does not exist is stable and looks like one for a name that does.
-- gen_random_uuid() draws from PostgreSQL's strong random source; two of
-- them give 244 random bits.
CREATE TABLE service_secrets (
    name       text PRIMARY KEY,
    secret     bytea NOT NULL CHECK (octet_length(secret) >= 16),
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO service_secrets (name, secret)
VALUES ('enumeration_shield',
        decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

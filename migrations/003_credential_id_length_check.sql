-- 001's CHECK on passkeys.credential_id used the repetition {1,1364}, beyond
-- PostgreSQL's regular-expression limit of 255, so every insert failed.
-- Same rule, split in two: base64url alphabet, at most 1364 characters
-- (1023 bytes decoded).
ALTER TABLE passkeys DROP CONSTRAINT passkeys_credential_id_check;
ALTER TABLE passkeys ADD CONSTRAINT passkeys_credential_id_check
    CHECK (credential_id ~ '^[A-Za-z0-9_-]+$' AND char_length(credential_id) <= 1364);

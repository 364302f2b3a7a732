-- Authenticator metadata from the FIDO Metadata Service (MDS3), imported by
-- the operator (daarion-authd metadata import FILE). The daemon never
-- fetches it; every replica reads what the last import wrote.

-- The imported BLOB itself: one row. blob_no is the BLOB's serial number
-- (`no`), which only grows unless an operator forces an older one.
CREATE TABLE metadata_blob (
    id           smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    blob_no      bigint NOT NULL CHECK (blob_no >= 0),
    next_update  date NOT NULL,
    legal_header text NOT NULL DEFAULT '' CHECK (char_length(legal_header) <= 4096),
    entries      integer NOT NULL CHECK (entries >= 0),
    imported_at  timestamptz NOT NULL,
    imported_by  text CHECK (char_length(imported_by) <= 128)
);

-- One row per AAGUID of the imported BLOB (UAF and U2F entries are not
-- kept); an import replaces them all in its transaction. aaguid is the 16
-- bytes, as passkeys.aaguid, so the two join on an index.
CREATE TABLE metadata_entries (
    aaguid                     bytea PRIMARY KEY CHECK (octet_length(aaguid) = 16),
    description                text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1024),
    icon                       text CHECK (char_length(icon) <= 524288),
    -- base64 DER certificates: this model's attestation roots
    attestation_roots          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attestation_roots) = 'array'),
    status                     text CHECK (status ~ '^[A-Za-z0-9_]+$' AND char_length(status) <= 64),
    status_effective_date      date,
    -- [{"status", "effective_date"}] as the BLOB lists them
    status_reports             jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(status_reports) = 'array'),
    time_of_last_status_change date
);

-- The latest MDS status of the passkey's model, when it is one of the five
-- that make the model untrustworthy; set by the import that brought it.
ALTER TABLE passkeys ADD COLUMN metadata_status text
    CHECK (metadata_status IN ('REVOKED', 'USER_VERIFICATION_BYPASS', 'ATTESTATION_KEY_COMPROMISE',
                               'USER_KEY_REMOTE_COMPROMISE', 'USER_KEY_PHYSICAL_COMPROMISE'));
-- An import finds the passkeys of a compromised model by AAGUID.
CREATE INDEX passkeys_aaguid_idx ON passkeys (aaguid);

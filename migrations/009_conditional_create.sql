-- WebAuthn Level 3 conditional create (automatic passkey upgrade): a
-- signed-in person's browser may create a passkey without asking them, so
-- the authenticator data comes back with UP = 0. Only a registration started
-- as such ({"conditional": true} at register/start) may finish that way: the
-- challenge remembers it. Only an existing account's registration can be one.
ALTER TABLE passkey_challenges ADD COLUMN conditional boolean NOT NULL DEFAULT false;
ALTER TABLE passkey_challenges ADD CONSTRAINT passkey_challenges_conditional_check
    CHECK (NOT conditional OR (ceremony = 'registration' AND user_id IS NOT NULL));

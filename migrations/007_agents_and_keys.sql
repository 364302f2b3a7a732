-- Agents and their keys (issue 11, findings 1 and 2).
--
-- An agent of a microDAO is named within it: its actor_id is
-- agent:<microDAO>/<name> (agent:7/router for microdao:7), a platform agent
-- (an operator's key bound to no microDAO) is agent:<name>, a service
-- service:<name>. Neither names nor microDAO ids may hold '/', so one
-- actor_id names one principal: an admin of one microDAO can no longer mint
-- the identity of a platform agent or of another team's. The application
-- derives actor_id (ApiKeyRecord::actorId); the constraints below keep the
-- rows it derives from unambiguous.
--
-- A key made by a person works only while that person may still make it:
-- not disabled, owner or admin of the key's microDAO. That is checked at
-- every use, so the key must remember who made it even if the person's row
-- went away (created_by_user_id is ON DELETE SET NULL): issued_by_operator.

ALTER TABLE api_keys ADD COLUMN issued_by_operator boolean NOT NULL DEFAULT false;
UPDATE api_keys SET issued_by_operator = (created_by_user_id IS NULL);
ALTER TABLE api_keys ALTER COLUMN issued_by_operator DROP DEFAULT;

-- Services are platform-wide; a person's key always belongs to a microDAO
-- they run (the application refused anything else already).
ALTER TABLE api_keys ADD CONSTRAINT api_keys_service_unbound
    CHECK (actor_type = 'agent' OR microdao_id IS NULL);
ALTER TABLE api_keys ADD CONSTRAINT api_keys_person_key_bound
    CHECK (issued_by_operator OR (microdao_id IS NOT NULL AND actor_type = 'agent'));

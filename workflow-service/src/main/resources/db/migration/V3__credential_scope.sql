-- Credentials are bound to where they may go (issue 12): the hosts an HTTP request carrying one may be sent to.
-- OpenAPI app credentials start with the host of their app's newest server URL; http app credentials get none,
-- so they stop working until an admin sets their hosts (PUT /api/v1/credentials/{id}/allowed-hosts).
alter table credential add column allowed_hosts text;
update credential c set allowed_hosts = (
    select lower(substring(a.definition::jsonb ->> 'serverUrl' from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#@]+)'))
    from app a where a.org_id = c.org_id and a.name = c.app and a.kind = 'openapi'
    order by a.created_at desc limit 1);

-- The added app (its pinned version) a task runs: the claim applies that version's authentication.
alter table task add column app_id uuid;

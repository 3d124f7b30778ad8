-- Every feed, indicator and sighting belongs to one organisation: the `org` claim of the suite token that wrote it,
-- or bulwark.relay.auth.module-organisation for XDR configuration tokens and HS256 tokens. Rows stored before
-- organisations existed go to bulwark.relay.legacy-organisation (placeholder legacy_organisation); when it is not set
-- and such rows exist, the migration stops rather than guess whose they are.
do $$
begin
    if '${legacy_organisation}' = 'unset' and (exists (select 1 from feed) or exists (select 1 from indicator)) then
        raise exception 'relay-service holds feeds or indicators stored before organisations existed: set '
            'bulwark.relay.legacy-organisation (BULWARK_RELAY_LEGACY_ORGANISATION) to the id of the organisation '
            'that owns them';
    end if;
end $$;

alter table feed add column org_id varchar(100);
alter table indicator add column org_id varchar(100);
alter table sighting add column org_id varchar(100);

update feed set org_id = '${legacy_organisation}';
update indicator set org_id = '${legacy_organisation}';
update sighting s set org_id = i.org_id from indicator i where i.id = s.indicator_id;

alter table feed alter column org_id set not null;
alter table indicator alter column org_id set not null;
alter table sighting alter column org_id set not null;

-- Names, identities and lookups are per organisation; each lookup's index leads with the organisation.
alter table feed drop constraint feed_name_key;
alter table feed add constraint feed_identity unique (org_id, name);

alter table indicator drop constraint indicator_identity;
alter table indicator add constraint indicator_identity unique (org_id, source, type, value);
drop index indicator_lookup;
create index indicator_lookup on indicator (org_id, type, value);
-- Containment lookups filter by organisation inside the GiST index (btree_gist gives GiST the varchar equality).
-- Only address rows carry a network; leaving the others out keeps imports of names and hashes fast.
create extension if not exists btree_gist;
drop index indicator_network;
create index indicator_network on indicator using gist (org_id, network inet_ops) where network is not null;

drop index sighting_recent;
create index sighting_recent on sighting (org_id, last_seen);

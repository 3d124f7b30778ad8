-- Which transactions added indicators to an organisation: the in-memory lookup filter of every replica (see
-- IndicatorMatcher) is built from one snapshot together with the sum of `weight` of its organisation's rows here, and
-- each filtered lookup reads that sum in its own statement: an equal sum means no indicator was added or re-keyed
-- since the filter was built, so the filter's "definitely not stored" still holds. Rows only ever add weight; the
-- relay folds committed rows into one row per organisation (xid 0), which keeps the sum. Writers insert one row per
-- transaction (their own xid), so concurrent writers never wait for each other here. Deletions need no row: they
-- can only make the filter answer "maybe", which the lookup then checks against the table.
create table indicator_change (
    org_id varchar(100) not null,
    xid xid8 not null,
    weight bigint not null,
    primary key (org_id, xid)
);

create function indicator_change_added() returns trigger language plpgsql as $$
begin
    insert into indicator_change (org_id, xid, weight)
    select distinct org_id, pg_current_xact_id(), 1 from changed
    on conflict (org_id, xid) do nothing;
    return null;
end $$;

create function indicator_change_rekeyed() returns trigger language plpgsql as $$
begin
    insert into indicator_change (org_id, xid, weight)
    select distinct c.org_id, pg_current_xact_id(), 1 from changed c join previous p on p.id = c.id
    where (p.org_id, p.type, p.value, p.network) is distinct from (c.org_id, c.type, c.value, c.network)
    on conflict (org_id, xid) do nothing;
    return null;
end $$;

create trigger indicator_added after insert on indicator referencing new table as changed
    for each statement execute function indicator_change_added();
create trigger indicator_rekeyed after update on indicator referencing old table as previous new table as changed
    for each statement execute function indicator_change_rekeyed();

-- Address lookups the filter has narrowed to exact networks use equality, not GiST containment.
create index indicator_address on indicator (org_id, network) where network is not null;

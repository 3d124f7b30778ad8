-- Address lookups narrowed by the lookup filter ask for exact networks. With `network = o.network` PostgreSQL costed
-- the GiST containment index (indicator_network) and the btree indicator_address alike and picked GiST: ~3 ms per
-- probe at a million indicators, against ~15 µs for the btree. GiST inet_ops serves every inet comparison, so the
-- lookup compares the networks' text instead, which only this index serves; indicator_address had no other query.
create index indicator_address_text on indicator (org_id, text(network)) where network is not null;
drop index indicator_address;
-- The planner ignores the statistics of a partial index's expression; without these it estimates 5,000 rows per
-- probe, and the statement's cost then crosses jit_above_cost: JIT compilation took ~35 ms of a 2 ms lookup.
create statistics indicator_network_text on (text(network)) from indicator;
analyze indicator;

-- Indicators of every source; one row per (source, type, normalised value) so a re-import updates in place.
create table indicator (
    id                  uuid primary key,
    type                varchar(16)  not null,
    value               varchar(2048) not null,
    -- The address or network of ip/ipv6 indicators, for containment lookups (a single address is a /32 or /128).
    network             cidr,
    disposition         smallint     not null check (disposition between 1 and 5),
    confidence          varchar(16)  not null,
    severity            varchar(16)  not null,
    source              varchar(200) not null,
    tags                jsonb        not null default '[]',
    tlp                 varchar(8)   not null,
    description         text,
    valid_from          timestamptz  not null,
    valid_until         timestamptz,
    external_id         varchar(300),
    external_references jsonb        not null default '[]',
    created_at          timestamptz  not null,
    updated_at          timestamptz  not null,
    constraint indicator_identity unique (source, type, value)
);

create index indicator_lookup on indicator (type, value);
create index indicator_network on indicator using gist (network inet_ops);
create index indicator_valid_until on indicator (valid_until) where valid_until is not null;

create table sighting (
    id          uuid primary key,
    indicator_id uuid        not null references indicator (id) on delete cascade,
    -- The sighting's id in its feed, so a re-import updates it.
    external_id varchar(300) not null,
    count       integer      not null check (count > 0),
    first_seen  timestamptz  not null,
    last_seen   timestamptz  not null,
    title       varchar(500) not null,
    description text,
    source      varchar(200) not null,
    constraint sighting_identity unique (indicator_id, external_id)
);

create index sighting_recent on sighting (last_seen);

-- Feeds pulled on a schedule.
create table feed (
    id              uuid primary key,
    name            varchar(200) not null unique,
    url             varchar(2048) not null,
    format          varchar(8)   not null,
    disposition     smallint     check (disposition between 1 and 5),
    interval_seconds integer     not null check (interval_seconds > 0),
    etag            varchar(500),
    last_modified   varchar(100),
    last_pulled_at  timestamptz,
    last_outcome    varchar(1000),
    created_at      timestamptz  not null
);

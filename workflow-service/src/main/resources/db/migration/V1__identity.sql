-- Identity: organisations, users and their per-organisation roles, API keys, service accounts, login throttling.
create table organisation (
    id          uuid primary key,
    name        varchar(200) not null unique,
    created_at  timestamptz  not null
);

create table app_user (
    id            uuid primary key,
    email         varchar(320) not null unique,
    password_hash varchar(100) not null,
    created_at    timestamptz  not null
);

create table membership (
    org_id     uuid        not null references organisation (id) on delete cascade,
    user_id    uuid        not null references app_user (id) on delete cascade,
    role       varchar(16) not null check (role in ('admin', 'user', 'reader')),
    joined_at  timestamptz not null,
    primary key (org_id, user_id)
);
create index membership_user on membership (user_id);

create table api_key (
    id           uuid primary key,
    user_id      uuid         not null references app_user (id) on delete cascade,
    org_id       uuid         not null references organisation (id) on delete cascade,
    name         varchar(200) not null,
    secret_hash  varchar(100) not null,
    created_at   timestamptz  not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_key_user on api_key (user_id);

create table service_account (
    id          uuid primary key,
    org_id      uuid         not null references organisation (id) on delete cascade,
    name        varchar(200) not null,
    client_id   varchar(64)  not null unique,
    secret_hash varchar(100) not null,
    roles       varchar(200) not null,
    created_at  timestamptz  not null,
    rotated_at  timestamptz,
    revoked_at  timestamptz
);
-- A revoked account keeps its row (audit) but frees its name.
create unique index service_account_name on service_account (org_id, name) where revoked_at is null;

-- Failed logins per account, client or key, for the brute-force defence; a row disappears on success.
create table login_failure (
    principal       varchar(400) primary key,
    failures        integer     not null,
    window_start    timestamptz not null,
    locked_until    timestamptz
);

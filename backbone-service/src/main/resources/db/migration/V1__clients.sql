-- Registered backbone clients. The client id is the client id of the client's service account at the issuer, so
-- the token's "sub" names the client directly.
create table backbone_client (
    client_id      varchar(100)  primary key,
    account_id     uuid          not null,
    org_id         varchar(100)  not null,
    name           varchar(200)  not null,
    subscriptions  jsonb         not null,
    publish_rights jsonb         not null,
    broadcast      boolean       not null,
    webhook_url    varchar(2000),
    -- AES-GCM: 12-byte nonce followed by the ciphertext and tag of the webhook signing secret.
    webhook_secret bytea,
    created_at     timestamptz   not null,
    updated_at     timestamptz   not null
);

create unique index backbone_client_org_name on backbone_client (org_id, name);

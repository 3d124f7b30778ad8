-- Signatures of accepted webhook deliveries, kept until their timestamp leaves the tolerance, so a captured
-- request cannot be replayed. The primary key makes two concurrent deliveries of one signature start one execution.
create table webhook_delivery (
    hook_id    uuid        not null references webhook (id) on delete cascade,
    signature  varchar(80) not null,
    expires_at timestamptz not null,
    primary key (hook_id, signature)
);
create index webhook_delivery_expiry on webhook_delivery (expires_at);

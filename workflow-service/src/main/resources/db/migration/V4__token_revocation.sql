-- Token revocation (issue 12 item 5): tokens whose sub or sid hashes to id and whose iat is before not_before are
-- refused by every service, which polls GET /.well-known/revocations.json. Rows older than the longest token
-- lifetime are dropped: every token they could revoke has expired.
create table token_revocation (
    id          varchar(64) primary key,
    not_before  timestamptz not null
);
create index token_revocation_not_before on token_revocation (not_before);

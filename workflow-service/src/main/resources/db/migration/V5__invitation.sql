-- Membership by invitation (issue 12 item 4): an admin invites an address; the user with that login accepts or
-- declines. Invitations are kept by address, so the answer to the admin never tells whether the address exists.
create table invitation (
    id          uuid primary key,
    org_id      uuid         not null references organisation (id) on delete cascade,
    email       varchar(320) not null,
    role        varchar(16)  not null check (role in ('admin', 'user', 'reader')),
    invited_by  uuid,
    created_at  timestamptz  not null,
    expires_at  timestamptz  not null,
    unique (org_id, email)
);
create index invitation_email on invitation (email);

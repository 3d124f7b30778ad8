-- Clients declared in configuration (bulwark.backbone.declared-clients) are the suite's own service accounts,
-- declared at the issuer: the backbone made no account for them, and admins cannot change them through the API.
alter table backbone_client alter column account_id drop not null;
alter table backbone_client add column declared boolean not null default false;

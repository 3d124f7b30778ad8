-- Workflow engine: apps, encrypted app credentials, workflows and their versions, triggers, executions, task queue.
-- JSON documents are kept as text: the service reads and writes them whole and never queries inside them.

-- Apps an organisation added (container images, OpenAPI imports); built-in apps live in code.
create table app (
    id          uuid primary key,
    org_id      uuid         not null references organisation (id) on delete cascade,
    name        varchar(100) not null,
    version     varchar(50)  not null,
    kind        varchar(16)  not null check (kind in ('container', 'openapi')),
    definition  text         not null,
    created_at  timestamptz  not null,
    unique (org_id, name, version)
);

-- Envelope encryption: one AES-256 data key per organisation, wrapped by the master key named by key_id.
create table org_data_key (
    org_id      uuid primary key references organisation (id) on delete cascade,
    key_id      varchar(100) not null,
    wrapped_key bytea        not null,
    created_at  timestamptz  not null,
    rewrapped_at timestamptz
);

-- App credentials: the fields are one AES-256-GCM ciphertext (nonce || ciphertext+tag) under the org data key.
create table credential (
    id          uuid primary key,
    org_id      uuid         not null references organisation (id) on delete cascade,
    name        varchar(200) not null,
    app         varchar(100) not null,
    field_names text         not null,
    preview     text         not null,
    ciphertext  bytea        not null,
    created_at  timestamptz  not null,
    unique (org_id, name)
);

create table workflow (
    id          uuid primary key,
    org_id      uuid         not null references organisation (id) on delete cascade,
    name        varchar(200) not null,
    version     integer      not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null
);
create index workflow_org on workflow (org_id, name);

-- Every saved version of a workflow document, so an execution always runs (and re-runs) what it started with.
create table workflow_version (
    workflow_id uuid        not null references workflow (id) on delete cascade,
    version     integer     not null,
    document    text        not null,
    created_at  timestamptz not null,
    primary key (workflow_id, version)
);

-- The webhook of a workflow: its secret is encrypted like a credential, since callers may sign with it (HMAC).
create table webhook (
    id          uuid primary key,
    workflow_id uuid        not null unique references workflow (id) on delete cascade,
    org_id      uuid        not null references organisation (id) on delete cascade,
    secret      bytea       not null,
    created_at  timestamptz not null
);

-- Cron triggers of the current workflow versions; a replica fires a row by moving next_fire_at under a row lock,
-- so each tick starts exactly one execution however many replicas run.
create table schedule_trigger (
    workflow_id   uuid         not null references workflow (id) on delete cascade,
    position      integer      not null,
    org_id        uuid         not null,
    cron          varchar(200) not null,
    argument      text,
    next_fire_at  timestamptz  not null,
    primary key (workflow_id, position)
);
create index schedule_trigger_due on schedule_trigger (next_fire_at);

create table execution (
    id                  uuid primary key,
    org_id              uuid        not null references organisation (id) on delete cascade,
    workflow_id         uuid        not null references workflow (id) on delete cascade,
    workflow_version    integer     not null,
    status              varchar(16) not null check (status in ('EXECUTING', 'WAITING', 'FINISHED', 'FAILED', 'ABORTED')),
    trigger_type        varchar(16) not null,
    priority            integer     not null check (priority between 0 and 10),
    argument            text,
    error               text,
    parent_execution_id uuid references execution (id) on delete set null,
    parent_action_id    varchar(100),
    started_at          timestamptz not null,
    finished_at         timestamptz,
    updated_at          timestamptz not null
);
create index execution_org on execution (org_id, started_at desc);
create index execution_workflow on execution (workflow_id, started_at desc);
create index execution_active on execution (updated_at) where status in ('EXECUTING', 'WAITING');
create index execution_finished on execution (finished_at) where finished_at is not null;

create table action_result (
    execution_id uuid         not null references execution (id) on delete cascade,
    action_id    varchar(100) not null,
    status       varchar(16)  not null check (status in ('RUNNING', 'SUCCESS', 'FAILURE', 'SKIPPED', 'ABORTED')),
    attempt      integer      not null,
    started_at   timestamptz  not null,
    finished_at  timestamptz,
    output       text,
    error        text,
    primary key (execution_id, action_id)
);

-- One task = one app action with its parameters resolved (one per item when an action loops over a list).
-- Credentials are referenced by id and decrypted only into the claim response.
create table task (
    id               uuid primary key,
    org_id           uuid         not null,
    execution_id     uuid         not null references execution (id) on delete cascade,
    action_id        varchar(100) not null,
    item_index       integer      not null,
    app              varchar(100) not null,
    action           varchar(200) not null,
    image            varchar(500),
    parameters       text         not null,
    credential_id    uuid references credential (id) on delete set null,
    environment      varchar(100) not null,
    priority         integer      not null,
    status           varchar(16)  not null check (status in ('QUEUED', 'RUNNING', 'DONE', 'ABORTED')),
    attempt          integer      not null,
    timeout_seconds  integer      not null,
    lease_expires_at timestamptz,
    result_status    varchar(16) check (result_status in ('SUCCESS', 'FAILURE')),
    output           text,
    error            text,
    created_at       timestamptz  not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    unique (execution_id, action_id, item_index)
);
create index task_queue on task (org_id, environment, priority desc, created_at) where status = 'QUEUED';
create index task_lease on task (lease_expires_at) where status = 'RUNNING';
create index task_execution on task (execution_id, action_id);

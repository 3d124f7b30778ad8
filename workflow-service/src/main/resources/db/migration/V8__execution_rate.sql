-- Executions an organisation started per second, for its executions-per-minute quota: summing at most 60 rows
-- replaces counting up to a minute's executions (12,000 by default) on every start, under the organisation's lock.
create table execution_rate (
    org_id uuid not null references organisation (id) on delete cascade,
    epoch_second bigint not null,
    started integer not null,
    primary key (org_id, epoch_second)
);

-- Runs move between service instances: the instance running a run holds a lease on it (owner, lease_until) and
-- renews it; when the lease expires, any instance claims the run (FOR UPDATE SKIP LOCKED) and restarts its unended
-- sessions from the job, kept sealed (AES-GCM) in run_job until the run ends. Outcomes archives live in the
-- database, so every instance serves them; archives written to the old outcomes directory are not carried over.
-- test_run.outcomes_path is no longer used; it stays for one release so the previous release still validates.
alter table test_run add column owner varchar(200);
alter table test_run add column lease_until timestamp(6) with time zone;
alter table test_run add column claims integer not null default 0;
create index test_run_running_lease on test_run (lease_until) where status = 'RUNNING';

create table run_job (
    run_id             uuid primary key references test_run (id) on delete cascade,
    sealed             bytea  not null,
    session_timeout_ms bigint not null
);

create table run_outcomes (
    run_id  uuid primary key references test_run (id) on delete cascade,
    archive bytea not null
);

-- Test runs, the sessions their testers run, and what the testers found. Feedback events live in Redis streams;
-- the outcomes archive of a run lives in the outcomes directory, named after the run id.
create table test_run (
    id            uuid primary key,
    org           varchar(200)  not null,
    created_by    varchar(200)  not null,
    origin        varchar(20)   not null,
    job_type      varchar(20)   not null,
    target        varchar(300)  not null,
    medium        varchar(3)    not null,
    status        varchar(20)   not null,
    created_at    timestamp(6) with time zone not null,
    finished_at   timestamp(6) with time zone,
    outcomes_path varchar(1000)
);
create index test_run_org_status on test_run (org, status);
create index test_run_finished_at on test_run (finished_at);

create table tester_session (
    id           bigserial primary key,
    run_id       uuid          not null references test_run (id) on delete cascade,
    tester       varchar(20)   not null,
    session_id   varchar(200)  not null,
    status       varchar(20)   not null,
    pct_complete integer       not null,
    findings     integer       not null,
    message      varchar(1000),
    unique (run_id, tester, session_id)
);

create table finding (
    id         bigserial primary key,
    run_id     uuid          not null references test_run (id) on delete cascade,
    tester     varchar(20)   not null,
    session_id varchar(200)  not null,
    kind       varchar(100)  not null,
    severity   varchar(10)   not null,
    title      varchar(500)  not null,
    location   varchar(2000) not null,
    evidence   varchar(4000) not null
);
create index finding_run on finding (run_id);

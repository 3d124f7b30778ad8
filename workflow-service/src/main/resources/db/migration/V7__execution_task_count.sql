-- Tasks an execution has queued so far, kept on its row (locked by every decision step anyway), so the
-- max-tasks-per-execution check needs no count query per queued action.
alter table execution add column task_count integer not null default 0;
update execution e set task_count = (select count(*) from task t where t.execution_id = e.id)
where exists (select 1 from task t where t.execution_id = e.id);

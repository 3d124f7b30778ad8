-- A start stores its execution once its first decision step is done, with the state that step left (one insert, not
-- an insert and then an update), after the results and tasks the step made for it: their references to the
-- execution are checked at commit. Deleting an execution still deletes them at once (referential actions are never
-- deferred).
alter table action_result alter constraint action_result_execution_id_fkey deferrable initially deferred;
alter table task alter constraint task_execution_id_fkey deferrable initially deferred;

-- Counts one start of an organisation against its executions-per-minute quota in a single call: the organisation's
-- lock, the window's sum, the count and the dropping of old seconds. A call is one round trip, so a start counted in
-- a statement of its own (autocommit) holds the lock only while the statement runs. The function is volatile, so
-- each statement in it reads what was committed before it ran: the sum after the lock sees every earlier count.
create function count_execution_start(p_org uuid, p_lock_class integer, p_lock_key integer, p_second bigint,
                                      p_window bigint, p_quota integer, out used bigint, out oldest bigint)
language plpgsql volatile as $$
begin
    perform pg_advisory_xact_lock(p_lock_class, p_lock_key);
    select coalesce(sum(started), 0), min(epoch_second) into used, oldest
    from execution_rate where org_id = p_org and epoch_second > p_second - p_window;
    if used < p_quota then
        insert into execution_rate (org_id, epoch_second, started) values (p_org, p_second, 1)
        on conflict (org_id, epoch_second) do update set started = execution_rate.started + 1;
    end if;
    delete from execution_rate where org_id = p_org and epoch_second <= p_second - p_window;
end
$$;

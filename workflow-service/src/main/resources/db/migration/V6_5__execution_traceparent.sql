-- The W3C trace context of the request that started an execution, handed to workers with each task so that the
-- whole run is one trace (null when it was started outside one, e.g. by the scheduler).
alter table execution add column traceparent varchar(55);

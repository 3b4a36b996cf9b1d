-- Concurrency 'forbid': a job that does not end within its timeout is released, and the next due time fires.
alter table schedule add column job_timeout_seconds bigint check (job_timeout_seconds > 0);
-- the due time of the fire whose job runs, and when that job is released if it has not ended by then
alter table schedule add column running_due_at timestamptz;
alter table schedule add column running_until timestamptz;
-- Jobs already running get a day: before this, an end the scheduler did not recognise (backup-verified,
-- backup-pruned) kept a schedule waiting forever.
update schedule set running_due_at = coalesce(next_fire_at, now()), running_until = now() + interval '1 day'
    where running_correlation_id is not null;
create index schedule_running_until on schedule (running_until) where running_until is not null and not paused;

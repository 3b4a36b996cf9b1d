-- The schedules the targets' configuration asked the scheduler for, as last sent: a start-up sends
-- CreateSchedule, UpdateSchedule or DeleteSchedule only for what changed since.
create table configured_schedule (
    name       text primary key,
    definition jsonb not null
);

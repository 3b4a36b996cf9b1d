-- Schedules, and the fires (and misses) of each: the scheduler's whole state.
create table schedule (
    name                      text primary key,
    expression                text        not null,
    zone                      text        not null,
    command_topic             text        not null,
    command_type              text        not null,
    command_key               text        not null,
    command_payload           text        not null,
    missed_run_policy         text        not null check (missed_run_policy in ('fire-once', 'skip')),
    starting_deadline_seconds bigint,
    concurrency_policy        text        not null check (concurrency_policy in ('allow', 'forbid')),
    paused                    boolean     not null default false,
    history_limit             int         not null,
    one_shot                  boolean     not null default false,
    -- @every counts from here; `none` and one-shots are due exactly here
    anchor                    timestamptz not null,
    -- the next due time; null when nothing is left to fire
    next_fire_at              timestamptz,
    -- a one-shot's fire keeps the correlation of the record that asked for it
    correlation_id            text,
    -- concurrency 'forbid': the correlation id of the job the last fire started, until it ends
    running_correlation_id    text,
    created_at                timestamptz not null default now(),
    updated_at                timestamptz not null default now()
);
-- What every replica's firing loop asks: the due schedules, earliest first.
create index schedule_due on schedule (next_fire_at) where not paused and next_fire_at is not null;
create index schedule_running on schedule (running_correlation_id) where running_correlation_id is not null;

create table schedule_fire (
    id             bigserial primary key,
    schedule_name  text        not null references schedule (name) on delete cascade,
    due_at         timestamptz not null,
    outcome        text        not null check (outcome in ('fired', 'missed')),
    reason         text,
    command_id     text,
    correlation_id text,
    manual         boolean     not null default false,
    recorded_at    timestamptz not null default now()
);
-- The guard of "exactly once per due time": a second fire of one due time cannot commit.
create unique index schedule_fire_once on schedule_fire (schedule_name, due_at) where not manual and outcome = 'fired';
create index schedule_fire_recent on schedule_fire (schedule_name, id desc);

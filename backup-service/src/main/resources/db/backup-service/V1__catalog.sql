-- The catalog: every backup, whether it completed, and what its object is.
create table backup (
    id             text primary key,
    target         text        not null,
    -- the RunBackup it answers, so that a redelivery after a crash finds it
    command_id     text        not null unique,
    bucket         text        not null,
    key            text        not null,
    status         text        not null check (status in ('running', 'completed', 'failed')),
    -- the multipart upload while it runs, so that one a crash interrupted can be aborted
    upload_id      text,
    size           bigint,
    sha256         text,
    tool           text,
    duration_ms    bigint,
    failure        text,
    correlation_id text,
    pinned         boolean     not null default false,
    started_at     timestamptz not null,
    finished_at    timestamptz
);
create index backup_by_target on backup (target, started_at desc);

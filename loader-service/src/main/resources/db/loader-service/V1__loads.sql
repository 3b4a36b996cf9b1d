create table deposit (
    deposit_id       text primary key,
    origin_url       text,
    archive_bucket   text        not null,
    archive_key      text        not null,
    status           text        not null check (status in ('loading', 'done', 'failed')),
    -- the DepositLoading record, so that the final record points at it even after a restart
    loading_event_id text        not null,
    correlation_id   text,
    actor            text,
    directory        text,
    failure          text,
    started_at       timestamptz not null default now(),
    finished_at      timestamptz
);

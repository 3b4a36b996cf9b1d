create table deposit (
    deposit_id     text primary key,
    collection     text        not null,
    client         text        not null,
    origin_url     text,
    archive_bucket text        not null,
    archive_key    text        not null,
    archive_size   bigint      not null,
    archive_sha256 text        not null,
    status         text        not null check (status in ('verified', 'rejected')),
    problems       jsonb       not null default '{}',
    warnings       jsonb       not null default '{}',
    checked_at     timestamptz not null default now()
);

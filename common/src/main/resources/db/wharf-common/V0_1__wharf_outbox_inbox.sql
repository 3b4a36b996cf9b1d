-- Outbox and inbox, the same in every service's schema. Versions below 1 belong to common, so a
-- service's own migrations start at V1 and never collide with these.

create table outbox (
    id             bigserial primary key,
    topic          text        not null,
    record_key     text        not null,
    ce_id          text        not null unique,
    ce_type        text        not null,
    ce_source      text        not null,
    ce_time        timestamptz not null,
    ce_subject     text,
    correlation_id text,
    causation_id   text,
    actor          text,
    payload        bytea       not null,
    created_at     timestamptz not null default now(),
    sent_at        timestamptz
);

create index outbox_unsent on outbox (id) where sent_at is null;

create table inbox (
    ce_id       text primary key,
    ce_type     text        not null,
    topic       text        not null,
    received_at timestamptz not null default now()
);

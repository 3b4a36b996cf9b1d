-- One deployment at a time per application and environment: the row is the lock, and names its holder
-- (who asked, why, the deployment's correlation id, since when). Every acquisition, release, refusal and
-- operator unlock is kept in deploy_lock_event, so a forced unlock says who did it and why.
create table deploy_lock (
    application    text        not null,
    environment    text        not null,
    holder         text        not null,
    reason         text        not null,
    correlation_id text        not null,
    acquired_at    timestamptz not null,
    primary key (application, environment)
);

create table deploy_lock_event (
    id             bigserial   primary key,
    at             timestamptz not null,
    application    text        not null,
    environment    text        not null,
    event          text        not null check (event in ('acquired', 'released', 'refused', 'unlocked')),
    holder         text        not null,
    reason         text        not null,
    correlation_id text        not null,
    by_whom        text,
    note           text
);

create index deploy_lock_event_lock on deploy_lock_event (application, environment, at);
